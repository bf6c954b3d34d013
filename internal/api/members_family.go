package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
)

// consentJSON is one version of the caller's consent to disclose records
// to a family member (42 CFR 2.31).
type consentJSON struct {
	ID                     string     `json:"id"`
	Version                int        `json:"version"`
	Supersedes             *string    `json:"supersedes"`
	Status                 string     `json:"status"`
	PatientName            string     `json:"patient_name"`
	Discloser              string     `json:"discloser"`
	RecipientName          string     `json:"recipient_name"`
	RecipientEmail         string     `json:"recipient_email"`
	Linked                 bool       `json:"linked"`
	Share                  []string   `json:"share"`
	Purpose                string     `json:"purpose"`
	AcknowledgedRevocation bool       `json:"acknowledge_revocation"`
	ExpiresOn              *string    `json:"expires_on"`
	ExpiryEvent            string     `json:"expiry_event"`
	Signature              string     `json:"signature"`
	SignedOn               string     `json:"signed_on"`
	CreatedAt              time.Time  `json:"created_at"`
	RevokedAt              *time.Time `json:"revoked_at"`
}

// consentRequest is the body of POST /api/v1/me/consents.
type consentRequest struct {
	RecipientName         string   `json:"recipient_name"`
	RecipientEmail        string   `json:"recipient_email"`
	Share                 []string `json:"share"`
	Purpose               string   `json:"purpose"`
	AcknowledgeRevocation bool     `json:"acknowledge_revocation"`
	ExpiresOn             string   `json:"expires_on"`
	ExpiryEvent           string   `json:"expiry_event"`
	Signature             string   `json:"signature"`
}

// disclosureJSON is one entry of the caller's accounting of disclosures.
type disclosureJSON struct {
	ID             string    `json:"id"`
	ConsentID      string    `json:"consent_id"`
	ConsentVersion int       `json:"consent_version"`
	RecipientID    string    `json:"recipient_id"`
	RecipientName  string    `json:"recipient_name"`
	Category       string    `json:"category"`
	Channel        string    `json:"channel"`
	RequestID      string    `json:"request_id"`
	DisclosedAt    time.Time `json:"disclosed_at"`
}

func toConsentJSON(c *members.Consent, today members.Date) consentJSON {
	out := consentJSON{ID: c.ID, Version: c.Version, Status: c.Status(today), PatientName: c.PatientName, Discloser: c.Discloser,
		RecipientName: c.RecipientName, RecipientEmail: c.RecipientEmail, Linked: c.Linked, Share: []string{}, Purpose: c.Purpose,
		AcknowledgedRevocation: c.RevocationAcknowledged, ExpiryEvent: c.ExpiryEvent, Signature: c.Signature,
		SignedOn: c.SignedOn.String(), CreatedAt: c.CreatedAt, RevokedAt: c.RevokedAt}
	if c.Supersedes != "" {
		s := c.Supersedes
		out.Supersedes = &s
	}
	if !c.ExpiresOn.IsZero() {
		s := c.ExpiresOn.String()
		out.ExpiresOn = &s
	}
	for _, s := range c.Share {
		out.Share = append(out.Share, string(s))
	}
	return out
}

// listMyConsents answers every version of the caller's consents, newest
// first; alumni only (others 404).
func (a *API) listMyConsents(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := members.ListConsents(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	today, err := members.ConsentToday(r.Context(), a.db, c.user.ProgramID)
	if err != nil {
		return err
	}
	out := struct {
		Items []consentJSON `json:"items"`
	}{Items: make([]consentJSON, 0, len(list))}
	for _, x := range list {
		out.Items = append(out.Items, toConsentJSON(x, today))
	}
	return writeJSON(w, out)
}

// createMyConsent signs a new consent; every missing 2.31 element is a
// 422 naming its field.
func (a *API) createMyConsent(w http.ResponseWriter, r *http.Request, c *call) error {
	var body consentRequest
	if err := decodeJSON(w, r, a.maxBody, &body); err != nil {
		return err
	}
	in := members.ConsentInput{RecipientName: body.RecipientName, RecipientEmail: body.RecipientEmail, Purpose: body.Purpose,
		AcknowledgeRevocation: body.AcknowledgeRevocation, ExpiresOn: body.ExpiresOn, ExpiryEvent: body.ExpiryEvent,
		Signature: body.Signature}
	for _, s := range body.Share {
		in.Share = append(in.Share, members.Category(s))
	}
	consent, err := members.CreateConsent(r.Context(), a.db, a.auth, c.actor(), in)
	if err != nil {
		return membersProblem(err)
	}
	b, err := json.Marshal(toConsentJSON(consent, consent.SignedOn))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", "/api/v1/me/consents")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// revokeMyConsent revokes one of the caller's consents at once.
func (a *API) revokeMyConsent(w http.ResponseWriter, r *http.Request, c *call) error {
	consent, err := members.RevokeConsent(r.Context(), a.db, c.actor(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, toConsentJSON(consent, consent.SignedOn))
}

// listMyDisclosures answers the caller's accounting of disclosures.
func (a *API) listMyDisclosures(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := members.ListDisclosures(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := struct {
		Items []disclosureJSON `json:"items"`
	}{Items: make([]disclosureJSON, 0, len(list))}
	for _, x := range list {
		out.Items = append(out.Items, disclosureJSON{ID: x.ID, ConsentID: x.ConsentID, ConsentVersion: x.ConsentVersion,
			RecipientID: x.RecipientID, RecipientName: x.RecipientName, Category: string(x.Category), Channel: x.Channel,
			RequestID: x.RequestID, DisclosedAt: x.DisclosedAt})
	}
	return writeJSON(w, out)
}
