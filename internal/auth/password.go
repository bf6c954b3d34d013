package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

//go:generate go run gen_common.go

// commonPasswordsFile is the embedded list of the 10,000 most common
// passwords (see data/README.md for its origin and licence).
//
//go:embed data/common-passwords.txt
var commonPasswordsFile string

var commonPasswords = func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			m[strings.ToLower(w)] = struct{}{}
		}
	}
	return m
}()

// Password length limits, in characters (runes).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// ValidatePassword checks a new password: 8 to 128 characters and not one
// of the 10,000 most common passwords (compared case-insensitively). There
// are no composition rules. Errors are *FieldError for the "password" field.
func ValidatePassword(pw string) error {
	if !utf8.ValidString(pw) {
		return &FieldError{"password", "The password contains characters that cannot be read. Type it again."}
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return &FieldError{"password", fmt.Sprintf("Use at least %d characters. A few words strung together work well.", MinPasswordLength)}
	}
	if n > MaxPasswordLength {
		return &FieldError{"password", fmt.Sprintf("Use at most %d characters.", MaxPasswordLength)}
	}
	if _, ok := commonPasswords[strings.ToLower(pw)]; ok {
		return &FieldError{"password", "That password is one of the most common ones, so it is easy to guess. Choose another."}
	}
	return nil
}

// Argon2Params is the cost of the argon2id password hash.
type Argon2Params struct {
	// Memory in KiB.
	Memory uint32
	// Time is the number of passes.
	Time uint32
	// Threads is the degree of parallelism.
	Threads uint8
}

// DefaultArgon2Params are the production parameters (OWASP's minimum for
// argon2id: 19 MiB, two passes, one thread).
var DefaultArgon2Params = Argon2Params{Memory: 19456, Time: 2, Threads: 1}

// CheapArgon2ParamsForTests returns parameters that hash in well under a
// millisecond. Only tests use them; production leaves Options.Argon nil.
func CheapArgon2ParamsForTests() *Argon2Params {
	return &Argon2Params{Memory: 64, Time: 1, Threads: 1}
}

const (
	saltLen = 16
	keyLen  = 32
)

// hashSlots bounds how many argon2id computations run at once. Each takes
// 19 MiB and a core for ~50 ms; a flood of sign-in attempts then queues
// instead of exhausting memory, and pages keep being served.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// idKey is argon2.IDKey, holding one of the hash slots.
func idKey(pw, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(pw, salt, time, memory, threads, keyLen)
}

// hashPassword returns the PHC string of pw:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func hashPassword(pw string, p Argon2Params) string {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	key := idKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// phc is a parsed argon2id hash.
type phc struct {
	params Argon2Params
	salt   []byte
	key    []byte
}

// parsePHC parses an argon2id PHC string.
func parsePHC(s string) (*phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return nil, fmt.Errorf("not an argon2id hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, fmt.Errorf("unsupported argon2 version")
	}
	var h phc
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("bad argon2 parameter %q", kv)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("bad argon2 parameter %q", kv)
		}
		switch k {
		case "m":
			h.params.Memory = uint32(n)
		case "t":
			h.params.Time = uint32(n)
		case "p":
			if n > 255 {
				return nil, fmt.Errorf("bad argon2 parameter %q", kv)
			}
			h.params.Threads = uint8(n)
		default:
			return nil, fmt.Errorf("unknown argon2 parameter %q", k)
		}
	}
	if h.params.Memory == 0 || h.params.Time == 0 || h.params.Threads == 0 || h.params.Memory > 4<<20 || h.params.Time > 64 {
		return nil, fmt.Errorf("argon2 parameters out of range")
	}
	var err error
	if h.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return nil, fmt.Errorf("bad argon2 salt")
	}
	if h.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return nil, fmt.Errorf("bad argon2 hash")
	}
	return &h, nil
}

// verifyPassword reports whether pw matches the PHC string encoded, and
// whether the hash should be recomputed with the current parameters.
func verifyPassword(pw, encoded string, current Argon2Params) (ok, rehash bool) {
	h, err := parsePHC(encoded)
	if err != nil {
		return false, false
	}
	key := idKey([]byte(pw), h.salt, h.params.Time, h.params.Memory, h.params.Threads, uint32(len(h.key)))
	if subtle.ConstantTimeCompare(key, h.key) != 1 {
		return false, false
	}
	weaker := h.params.Memory < current.Memory || h.params.Time < current.Time ||
		h.params.Threads < current.Threads || len(h.key) < keyLen || len(h.salt) < saltLen
	return true, weaker
}

// checkPassword verifies pw against encoded, spending the same work on the
// dummy hash when there is no stored hash (unknown account).
func (s *Service) checkPassword(pw, encoded string) (ok, rehash bool) {
	if encoded == "" {
		verifyPassword(pw, s.dummyHash, s.argon)
		return false, false
	}
	if _, err := parsePHC(encoded); err != nil {
		verifyPassword(pw, s.dummyHash, s.argon)
		return false, false
	}
	return verifyPassword(pw, encoded, s.argon)
}
