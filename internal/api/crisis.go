package api

import (
	"net/http"

	"github.com/cairn-recovery/cairn/internal/programs"
)

// crisisNumber is one way to reach help now.
type crisisNumber struct {
	// Name says who answers ("988 Suicide & Crisis Lifeline").
	Name string `json:"name"`
	// Number is the number as people write it.
	Number string `json:"number"`
	// Call is a tel: URI; Text an sms: URI when the line takes texts.
	Call string `json:"call,omitempty"`
	Text string `json:"text,omitempty"`
}

// crisisSupport is added (as "crisis_support") to the answer of a write
// whose words held crisis language: what was written was saved all the
// same; the client should show these numbers and offer reach_out_url,
// where the member can ask their coach to contact them now.
type crisisSupport struct {
	// Message is a few kind words to show with the numbers.
	Message string `json:"message"`
	// Numbers are 988 (call or text), the SAMHSA National Helpline, 911
	// and the program's own phone when it has one.
	Numbers []crisisNumber `json:"numbers"`
	// ReachOutURL is the page (on this site) where the member asks their
	// coach to reach out now.
	ReachOutURL string `json:"reach_out_url"`
}

// nationalCrisisNumbers are shown to everyone, whatever their program.
var nationalCrisisNumbers = []crisisNumber{
	{Name: "988 Suicide & Crisis Lifeline (call or text)", Number: "988", Call: "tel:988", Text: "sms:988"},
	{Name: "SAMHSA National Helpline (free, confidential, 24/7)", Number: "1-800-662-4357", Call: "tel:+18006624357"},
	{Name: "Emergency", Number: "911", Call: "tel:911"},
}

// crisisSupportFor returns the crisis numbers for the caller's program
// (the installation's default program when the call has no user): the
// national numbers and, when the program has one, its own phone.
func (a *API) crisisSupportFor(r *http.Request, c *call) *crisisSupport {
	out := &crisisSupport{
		Message:     "You are not alone. What you wrote was saved. If you are in danger or thinking about ending your life, please reach out now.",
		Numbers:     append([]crisisNumber(nil), nationalCrisisNumbers...),
		ReachOutURL: "/support/now",
	}
	var p *programs.Program
	if c != nil && c.user != nil {
		p, _ = a.programs.Get(r.Context(), c.user.ProgramID)
	}
	if p == nil {
		p, _ = a.programs.Default(r.Context())
	}
	if p != nil && p.Phone != "" {
		out.Numbers = append(out.Numbers, crisisNumber{Name: p.Name, Number: p.Phone, Call: p.TelURI()})
	}
	return out
}
