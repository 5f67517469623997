package progress

import (
	"fmt"
	"strconv"
)

// Count writes n with thousands separators: 45,210.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// Bytes writes a size in decimal units, as file managers show them:
// 512 B, 120.4 MB.
func Bytes(n int64) string {
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	for _, unit := range []string{"kB", "MB", "GB"} {
		v /= 1000
		if v < 999.95 {
			return fmt.Sprintf("%.1f %s", v, unit)
		}
	}
	return fmt.Sprintf("%.1f TB", v/1000)
}

// Rate writes a per-second rate short: 950, 29.8k, 1.2M.
func Rate(perSecond float64) string {
	switch {
	case perSecond < 999.5:
		return fmt.Sprintf("%.0f", perSecond)
	case perSecond < 999_950:
		return fmt.Sprintf("%.1fk", perSecond/1e3)
	}
	return fmt.Sprintf("%.1fM", perSecond/1e6)
}
