package mock

import (
	"crypto/rand"
	"encoding/hex"
)

// newUUID returns a random RFC 4122 version 4 UUID, the shape of every id
// Klarna hands out (sessions, tokens, correlation and event ids).
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

const referenceAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

// newKlarnaReference returns an 8-character reference like X438HG0Q.
func newKlarnaReference() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = referenceAlphabet[int(b[i])%len(referenceAlphabet)]
	}
	return string(b[:])
}
