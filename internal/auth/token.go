package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
)

// TokenLength is the length of every token Cairn hands out (session
// cookies, invitation and reset links): 128 random bits in unpadded
// base64url.
const TokenLength = 22

const tokenBytes = 16

var errMalformedToken = errors.New("malformed token")

// newToken returns a fresh random token and the hash to store.
func newToken() (token, hash string) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

// ParseToken checks that s has exactly the shape of a Cairn token (22
// characters of the base64url alphabet, canonical encoding of 16 bytes) and
// returns the SHA-256 hex that is stored for it. Anything else is refused
// before the database is asked.
func ParseToken(s string) (hash string, err error) {
	if len(s) != TokenLength {
		return "", errMalformedToken
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return "", errMalformedToken
		}
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != tokenBytes {
		return "", errMalformedToken
	}
	return hashToken(s), nil
}

// hashToken is what the database keeps of a token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// mac returns the hex HMAC-SHA256 of msg under the service's secret key.
func (s *Service) mac(msg string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// deriveKey derives a 256-bit key for one purpose: SHA-256(secret ‖ purpose).
func deriveKey(secret []byte, purpose string) [32]byte {
	return sha256.Sum256(append(append([]byte(nil), secret...), purpose...))
}
