package termqr

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/qrdecode"
)

// TestRenderScansBack: the drawing, read back module by module into an
// image (each module 4×4 pixels), decodes to the text.
func TestRenderScansBack(t *testing.T) {
	const text = "http://127.0.0.1:41234/pay/0b8c5f1e-8a43-4a5e-9d7e-3f1f2a6c9b10"
	s, err := Render(text)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	width := len([]rune(lines[0]))
	const px = 4
	img := image.NewGray(image.Rect(0, 0, width*px, len(lines)*2*px))
	for y, line := range lines {
		for x, r := range []rune(line) {
			top, bottom := r == '█' || r == '▀', r == '█' || r == '▄'
			for dy := 0; dy < px; dy++ {
				for dx := 0; dx < px; dx++ {
					img.SetGray(x*px+dx, 2*y*px+dy, ink(top))
					img.SetGray(x*px+dx, (2*y+1)*px+dy, ink(bottom))
				}
			}
		}
	}
	got, err := qrdecode.Decode(img)
	if err != nil {
		t.Fatalf("the drawn code does not scan: %v\n%s", err, s)
	}
	if got != text {
		t.Errorf("scanned %q, want %q", got, text)
	}
	if width > 80 {
		t.Errorf("the code is %d columns wide: it should fit an 80-column terminal", width)
	}
}

func ink(dark bool) color.Gray {
	if dark {
		return color.Gray{Y: 0}
	}
	return color.Gray{Y: 255}
}
