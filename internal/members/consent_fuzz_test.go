package members

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzConsentValidate feeds arbitrary form values to the consent checks:
// they never panic, and what they accept has every 2.31 element.
func FuzzConsentValidate(f *testing.F) {
	f.Add("Jordan Rivera", "jordan@example.test", "milestones,coach", "Support", true, "2099-12-31", "", "Alex Rivera")
	f.Add("", "", "", "", false, "", "", "")
	f.Add("=cmd", "a@b", "diagnosis", "x", true, "2099-02-30", "when I say", "alex  rivera")
	f.Add("\x00", "@", ",,", "\xff", true, "9999-99-99", strings.Repeat("e", 600), "ALEX RIVERA")
	today := Today(time.UTC, time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	f.Fuzz(func(t *testing.T, name, email, share, purpose string, ack bool, expires, event, signature string) {
		in := ConsentInput{RecipientName: name, RecipientEmail: email, Purpose: purpose, AcknowledgeRevocation: ack,
			ExpiresOn: expires, ExpiryEvent: event, Signature: signature}
		for _, s := range strings.Split(share, ",") {
			if s != "" {
				in.Share = append(in.Share, Category(s))
			}
		}
		v := in.validate(today, "Alex Rivera", "alex@example.test")
		if len(v) > 0 {
			for _, fe := range v {
				if fe.Field == "" || fe.Message == "" {
					t.Fatalf("unnamed problem %+v", fe)
				}
			}
			return
		}
		if len(in.Share) == 0 || in.RecipientName == "" || in.RecipientEmail == "" || in.Purpose == "" || !in.AcknowledgeRevocation ||
			(in.ExpiresOn == "" && in.ExpiryEvent == "") || foldName(in.Signature) != "alex rivera" {
			t.Fatalf("accepted an incomplete consent %+v", in)
		}
		if utf8.RuneCountInString(in.Purpose) > maxConsentPurpose || utf8.RuneCountInString(in.RecipientName) > maxConsentName {
			t.Fatalf("accepted over-long text %+v", in)
		}
		for _, c := range in.Share {
			if _, ok := ParseCategory(string(c)); !ok {
				t.Fatalf("accepted category %q", c)
			}
		}
	})
}
