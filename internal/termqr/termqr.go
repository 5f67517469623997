// Package termqr draws a QR code in a terminal with Unicode half blocks,
// two modules rows per text line, so a phone can scan a link off the
// screen. The code itself comes from gozxing (already used by the mock).
package termqr

import (
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// margin is the quiet zone in modules: the QR standard asks for 4, and
// scanners read 2 reliably on a screen.
const margin = 2

// Render returns text as a QR code drawn with "█", "▀", "▄" and spaces: a
// dark module is ink. On a dark terminal the code comes out inverted,
// which phone scanners read too.
func Render(text string) (string, error) {
	hints := map[gozxing.EncodeHintType]any{gozxing.EncodeHintType_MARGIN: margin}
	// Width and height 0: one character cell per module, no scaling.
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 0, 0, hints)
	if err != nil {
		return "", err
	}
	w, h := m.GetWidth(), m.GetHeight()
	var b strings.Builder
	for y := 0; y < h; y += 2 {
		for x := 0; x < w; x++ {
			top := m.Get(x, y)
			bottom := y+1 < h && m.Get(x, y+1)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}
