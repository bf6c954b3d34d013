package auth

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"", false},
		{"short1!", false},
		{"password", false},
		{"PassWord", false},   // common, whatever the case
		{"iloveyou", false},   // common
		{"qwertyuiop", false}, // common
		{"blue lanterns at dusk", true},
		{"aaaaaaab", true}, // no composition rules
		{"éééééééé", true}, // eight characters, sixteen bytes
		{"ééééééé", false}, // seven characters
		{strings.Repeat("x", 127) + "y", true},
		{strings.Repeat("x", 128) + "y", false},
		{"abc\xffdefgh", false},
	}
	for _, tt := range tests {
		err := ValidatePassword(tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
		if err != nil {
			wantField(t, err, "password")
		}
	}
}

func TestCommonPasswordsList(t *testing.T) {
	if n := len(commonPasswords); n != 10000 {
		t.Fatalf("embedded list has %d passwords, want 10000", n)
	}
	for _, w := range []string{"123456", "password", "dragon", "letmein"} {
		if _, ok := commonPasswords[w]; !ok {
			t.Errorf("%q missing from the list", w)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	cheap := *CheapArgon2ParamsForTests()
	h := hashPassword(goodPassword, cheap)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	if h2 := hashPassword(goodPassword, cheap); h2 == h {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	if ok, rehash := verifyPassword(goodPassword, h, cheap); !ok || rehash {
		t.Fatalf("verify own hash: ok=%v rehash=%v", ok, rehash)
	}
	if ok, _ := verifyPassword(goodPassword+"x", h, cheap); ok {
		t.Fatal("wrong password verified")
	}
	stronger := Argon2Params{Memory: 128, Time: 1, Threads: 1}
	if ok, rehash := verifyPassword(goodPassword, h, stronger); !ok || !rehash {
		t.Fatalf("verify under stronger params: ok=%v rehash=%v, want true true", ok, rehash)
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$!!", "plain"} {
		if ok, _ := verifyPassword(goodPassword, bad, cheap); ok {
			t.Errorf("verified against %q", bad)
		}
	}
	if DefaultArgon2Params.Memory < 19456 || DefaultArgon2Params.Time < 2 || DefaultArgon2Params.Threads < 1 {
		t.Fatalf("production argon2 parameters too weak: %+v", DefaultArgon2Params)
	}
}

func FuzzValidatePassword(f *testing.F) {
	for _, s := range []string{"", "password", "blue lanterns at dusk", "\xff\xfe", strings.Repeat("é", 130)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		err := ValidatePassword(pw)
		n := utf8.RuneCountInString(pw)
		if err == nil && (n < MinPasswordLength || n > MaxPasswordLength || !utf8.ValidString(pw)) {
			t.Fatalf("accepted %q (%d characters)", pw, n)
		}
		if err != nil {
			wantField(t, err, "password")
		}
	})
}

func FuzzParsePHC(f *testing.F) {
	f.Add(hashPassword("x", *CheapArgon2ParamsForTests()))
	f.Add("$argon2id$v=19$m=99999999999,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parsePHC(s)
		if err == nil && (h.params.Memory == 0 || h.params.Memory > 4<<20 || len(h.key) < 16) {
			t.Fatalf("accepted out-of-range hash %q", s)
		}
	})
}
