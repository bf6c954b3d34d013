package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
)

// familyRoutes are the family pages: what a family member may see of their
// alumnus, and the alumnus' consents and accounting of disclosures.
func (s *Server) familyRoutes() []route {
	return []route{
		{"GET /family", signedIn, s.family},
		{"GET /family/consents", signedIn, s.familyConsents},
		{"GET /family/consents/new", signedIn, s.familyConsentForm},
		{"POST /family/consents/new", signedIn, s.familyConsentCreate},
		{"POST /family/consents/{id}/revoke", signedIn, s.familyConsentRevoke},
		{"GET /family/disclosures", signedIn, s.familyDisclosures},
		{"GET /family/disclosures.csv", signedIn, s.familyDisclosuresCSV},
	}
}

// familyPage is what a family member sees: one entry per live consent.
type familyPage struct {
	Shares []*members.FamilyShare
	Notice string
}

// family shows a family member what their alumni share with them, and
// sends an alumnus to their consents.
func (s *Server) family(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if access.ManageConsents(a, a.UserID) == nil {
		http.Redirect(w, r, "/family/consents", http.StatusSeeOther)
		return nil
	}
	shares, err := members.FamilyView(r.Context(), s.db, a, members.ChannelPage)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	v := s.newView(r, "Family", familyPage{Shares: shares, Notice: members.RedisclosureNotice})
	v.Nav = "family"
	return s.render(w, r, "members_family", v)
}

// consentsPage lists the alumnus' consents.
type consentsPage struct {
	Consents []*members.Consent
	Today    members.Date
}

func (s *Server) familyConsents(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := members.ListConsents(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	today, err := members.ConsentToday(r.Context(), s.db, a.ProgramID)
	if err != nil {
		return err
	}
	v := s.newView(r, "Family and consent", consentsPage{Consents: list, Today: today})
	v.Nav = "family"
	switch r.URL.Query().Get("done") {
	case "consent":
		v.Flash = "Consent signed. If the person is new to Cairn, their invitation is on its way."
	case "consent-revoked":
		v.Flash = "Consent revoked. From now on they see nothing of what it shared."
	}
	return s.render(w, r, "members_consents", v)
}

// consentFormPage is the new consent form.
type consentFormPage struct {
	Form       *members.ConsentForm
	Categories []members.Category
	// Checked are the categories ticked in the posted form.
	Checked map[members.Category]bool
}

func (s *Server) consentFormView(r *http.Request, checked map[members.Category]bool) (*view, error) {
	f, err := members.NewConsentForm(r.Context(), s.db, actor(r))
	if err != nil {
		return nil, err
	}
	v := s.newView(r, "Share with a family member", &consentFormPage{Form: f, Categories: members.Categories, Checked: checked})
	v.Nav = "family"
	return v, nil
}

func (s *Server) familyConsentForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.consentFormView(r, nil)
	if err != nil {
		return err
	}
	v.Form = url.Values{}
	return s.render(w, r, "members_consent_new", v)
}

func (s *Server) familyConsentCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := members.ConsentInput{RecipientName: postedField(r, "recipient_name"), RecipientEmail: postedField(r, "recipient_email"),
		Purpose: postedField(r, "purpose"), AcknowledgeRevocation: r.PostFormValue("acknowledge_revocation") != "",
		ExpiresOn: postedField(r, "expires_on"), ExpiryEvent: postedField(r, "expiry_event"), Signature: postedField(r, "signature")}
	checked := map[members.Category]bool{}
	for _, c := range r.PostForm["share"] {
		in.Share = append(in.Share, members.Category(c))
		checked[members.Category(c)] = true
	}
	_, err := members.CreateConsent(r.Context(), s.db, s.auth, actor(r), in)
	var ve members.ValidationError
	if errors.As(err, &ve) {
		v, verr := s.consentFormView(r, checked)
		if verr != nil {
			return verr
		}
		v.Form = r.PostForm
		return s.validationError(w, r, "members_consent_new", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/family/consents?done=consent", http.StatusSeeOther)
	return nil
}

func (s *Server) familyConsentRevoke(w http.ResponseWriter, r *http.Request) error {
	if _, err := members.RevokeConsent(r.Context(), s.db, actor(r), r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/family/consents?done=consent-revoked", http.StatusSeeOther)
	return nil
}

// disclosuresPage is the alumnus' accounting of disclosures.
type disclosuresPage struct {
	Disclosures []*members.Disclosure
	Notice      string
}

func (s *Server) familyDisclosures(w http.ResponseWriter, r *http.Request) error {
	list, err := members.ListDisclosures(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	v := s.newView(r, "Who saw what, when", disclosuresPage{Disclosures: list, Notice: members.RedisclosureNotice})
	v.Nav = "family"
	return s.render(w, r, "members_disclosures", v)
}

// familyDisclosuresCSV downloads the accounting of disclosures as CSV,
// every cell guarded against formulas.
func (s *Server) familyDisclosuresCSV(w http.ResponseWriter, r *http.Request) error {
	list, err := members.ListDisclosures(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	loc := time.UTC
	if p := s.programFor(r); p != nil {
		loc = p.Location()
	}
	var buf bytes.Buffer
	if err := members.WriteDisclosuresCSV(&buf, list, loc); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="disclosures.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}
