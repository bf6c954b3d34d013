package logging

import (
	"net/netip"
	"regexp"
	"strings"
	"unicode"
)

// sensitiveWords are words that make a whole key sensitive wherever they
// appear in it (client_ip, to_address, reset_token, userEmail).
var sensitiveWords = map[string]bool{
	"email": true, "emails": true,
	"address": true, "addr": true, "ip": true, "ips": true, "remote": true,
	"body": true, "text": true, "content": true, "note": true, "notes": true,
	"password": true, "passwd": true, "passphrase": true,
	"token": true, "secret": true, "cookie": true, "authorization": true,
	"phone": true,
}

// sensitiveNames are whole keys about people's names.
var sensitiveNames = map[string]bool{
	"name": true, "first_name": true, "last_name": true, "full_name": true,
	"display_name": true, "user_name": true, "username": true,
	"given_name": true, "family_name": true, "nickname": true,
}

// harmlessCodes are keys ending in "code" that hold no secret.
var harmlessCodes = map[string]bool{
	"status_code": true, "http_code": true, "exit_code": true, "error_code": true,
	"response_code": true, "smtp_code": true,
}

// SensitiveKey reports whether an attribute key names something that must
// never be logged: contact details, addresses, names, bodies of what people
// wrote, passwords, tokens, secrets or one-time codes.
func SensitiveKey(key string) bool {
	k := snake(key)
	if sensitiveNames[k] {
		return true
	}
	words := strings.Split(k, "_")
	for _, w := range words {
		if sensitiveWords[w] {
			return true
		}
	}
	if words[len(words)-1] == "code" && !harmlessCodes[k] {
		return true
	}
	return false
}

// snake lowercases key and turns camelCase, dashes, dots and spaces into
// underscores: "remoteAddr" and "remote-addr" both become "remote_addr".
func snake(key string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range key {
		switch {
		case r == '-' || r == '.' || r == ' ' || r == '_':
			b.WriteByte('_')
			prevLower = false
		case unicode.IsUpper(r):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		default:
			b.WriteRune(r)
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		}
	}
	return b.String()
}

var (
	emailRe  = regexp.MustCompile(`[^\s@<>"'(),;:\[\]{}]+@[^\s@<>"'(),;:\[\]{}]+`)
	ipv4Re   = regexp.MustCompile(`\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}`)
	ipv6Re   = regexp.MustCompile(`[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?`)
	bearerRe = regexp.MustCompile(`(?i)\b(?:bearer|basic|token)\s+[A-Za-z0-9._~+/=-]+`)
	tokenRe  = regexp.MustCompile(`[A-Za-z0-9_-]{20,}={0,2}`)
	uuidRe   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// RedactText replaces email addresses and IP addresses in s. It is applied
// to log messages.
func RedactText(s string) string {
	if strings.IndexByte(s, '@') >= 0 {
		s = emailRe.ReplaceAllString(s, Redacted)
	}
	if strings.IndexByte(s, '.') >= 0 {
		s = ipv4Re.ReplaceAllString(s, Redacted)
	}
	if strings.Count(s, ":") >= 2 {
		s = ipv6Re.ReplaceAllStringFunc(s, func(m string) string {
			if looksLikeIPv6(m) {
				return Redacted
			}
			return m
		})
	}
	return s
}

// Redact replaces email addresses, IP addresses and anything that looks
// like a credential (a bearer token, or a run of 20 or more base64url
// characters mixing letters and digits that is not a UUID) in s. It is
// applied to every string attribute value.
func Redact(s string) string {
	s = RedactText(s)
	s = bearerRe.ReplaceAllString(s, Redacted)
	return tokenRe.ReplaceAllStringFunc(s, func(m string) string {
		if looksLikeToken(m) {
			return Redacted
		}
		return m
	})
}

func looksLikeIPv6(m string) bool {
	if _, err := netip.ParseAddr(m); err == nil {
		return true
	}
	// A port glued to the end: 2001:db8::1:443 parses above; fe80::1%eth0:80
	// and similar leftovers are retried without the last field.
	if i := strings.LastIndexByte(m, ':'); i > 0 {
		if _, err := netip.ParseAddr(m[:i]); err == nil && strings.Contains(m[:i], ":") {
			return true
		}
	}
	return false
}

func looksLikeToken(m string) bool {
	if uuidRe.MatchString(m) {
		return false
	}
	var letter, digit bool
	for _, r := range m {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		}
	}
	return letter && digit
}
