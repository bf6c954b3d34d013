package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

//go:embed templates
var templateFiles embed.FS

// templates holds every page, each parsed with the layout and partials at
// start-up, so that a broken template stops the server before it serves.
type templates struct {
	pages map[string]*template.Template
	// layout is the layout and partials alone, for partials rendered on
	// their own (the footer).
	layout *template.Template
}

func parseTemplates(st *staticFiles) (*templates, error) {
	funcs := template.FuncMap{
		"static":    st.url,
		"tel":       func(phone string) template.URL { return template.URL(programs.TelURI(phone)) },
		"roleLabel": func(r access.Role) string { return r.Label() },
		"roles":     func() []access.Role { return access.Roles },
		"date": func(t time.Time, loc *time.Location) string {
			if t.IsZero() {
				return ""
			}
			if loc == nil {
				loc = time.UTC
			}
			return t.In(loc).Format("Jan 2, 2006")
		},
		"datetime": func(t time.Time, loc *time.Location) string {
			if t.IsZero() {
				return ""
			}
			if loc == nil {
				loc = time.UTC
			}
			return t.In(loc).Format("Jan 2, 2006 3:04 PM MST")
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"deref": func(t *time.Time) time.Time {
			if t == nil {
				return time.Time{}
			}
			return *t
		},
		"fieldError": func(errs map[string]string, field string) string { return errs[field] },
		"formValue":  func(v url.Values, field string) string { return v.Get(field) },
		"paragraphs": paragraphs,
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	if t.layout, err = base.Clone(); err != nil {
		return nil, err
	}
	for _, name := range names {
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		page, err := clone.ParseFS(templateFiles, name)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		t.pages[strings.TrimSuffix(path.Base(name), ".html")] = page
	}
	return t, nil
}

// paragraphs splits text typed by a person into paragraphs at blank lines;
// each is escaped by the template.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// view is what every template receives.
type view struct {
	Title     string
	Nonce     string
	RequestID string
	User      *auth.User
	Session   *auth.Session
	Program   *programs.Program
	Loc       *time.Location
	Demo      bool
	Version   string
	// Nav marks the current section for the navigation.
	Nav string
	// Flash is a one-line confirmation shown at the top of the page.
	Flash string
	// Errors maps form field names to messages; Form holds what was typed.
	Errors map[string]string
	Form   url.Values
	// Data is the page's own content.
	Data any
	// Footer is the crisis footer, rendered once per program (see footer.go).
	Footer template.HTML
	// Unread is the signed-in person's unread notification count (the bell).
	Unread int
}

// IsStaff reports whether the signed-in person is staff.
func (v *view) IsStaff() bool { return v.User != nil && v.User.Role.Staff() }

// CanAdmin reports whether the person sees the admin area at all.
func (v *view) CanAdmin() bool {
	return v.User != nil && access.SeeAdminArea(v.User.Actor("")) == nil
}

// CanCaseload reports whether the person has a caseload page (coaches).
func (v *view) CanCaseload() bool {
	return v.User != nil && access.ViewCaseload(v.User.Actor("")) == nil
}

// SignedIn reports whether a full session is present.
func (v *view) SignedIn() bool {
	return v.User != nil && v.Session != nil && v.Session.Stage == auth.StageFull
}

// newView fills the parts of a view that every page shares.
func (s *Server) newView(r *http.Request, title string, data any) *view {
	st := state(r)
	v := &view{Title: title, Nonce: st.nonce, RequestID: st.requestID, Session: st.session,
		Demo: s.cfg.Demo, Version: s.version, Data: data, Loc: time.UTC}
	if st.session != nil {
		v.User = st.user
	}
	v.Program = s.programFor(r)
	if v.Program != nil {
		v.Loc = v.Program.Location()
	}
	v.Footer = s.footer(v.Program)
	v.Unread = s.unreadCount(r)
	if f := r.URL.Query().Get("done"); f != "" {
		v.Flash = flashText(f)
	}
	return v
}

// render writes page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, v *view) error {
	return s.renderView(w, r, http.StatusOK, page, v)
}

func (s *Server) renderView(w http.ResponseWriter, r *http.Request, status int, page string, v *view) error {
	t, ok := s.tmpl.pages[page]
	if !ok {
		return fmt.Errorf("web: no template %q", page)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			bufPool.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// bufPool reuses render buffers: a page is rendered whole before it is
// sent, so that a template error never leaves half a page.
var bufPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

// renderStatus renders an error page; if even that fails, plain text.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, page string, data errorPage) {
	v := s.newView(r, http.StatusText(status), data)
	if err := s.renderView(w, r, status, page, v); err != nil {
		s.log.Error("render error page", "request_id", state(r).requestID, "err", err)
		http.Error(w, data.Message, status)
	}
}

// formError re-renders a form page with status 422 and a message by its field.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, page string, v *view, field, message string) error {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Errors[field] = message
	if v.Form == nil {
		v.Form = r.PostForm
	}
	return s.renderView(w, r, http.StatusUnprocessableEntity, page, v)
}

// validationError re-renders a form page with status 422 and ve's messages
// by their fields (the first message for a field wins). The caller sets
// v.Form when the page should show what was typed.
func (s *Server) validationError(w http.ResponseWriter, r *http.Request, page string, v *view, ve members.ValidationError) error {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	for _, f := range ve {
		if _, dup := v.Errors[f.Field]; !dup {
			v.Errors[f.Field] = f.Message
		}
	}
	return s.renderView(w, r, http.StatusUnprocessableEntity, page, v)
}

// flashes are the confirmations a redirect may ask for with ?done=…; only
// these fixed texts can be shown, so a link cannot put words on the page.
var flashes = map[string]string{
	"saved":          "Saved.",
	"password":       "Your password has been changed.",
	"revoked":        "That session has been signed out.",
	"invited":        "Invitation created. The email with their link is in the outbox.",
	"invite-revoked": "Invitation withdrawn.",
	"role":           "Role changed.",
	"disabled":       "Account disabled. Its sessions have ended.",
	"enabled":        "Account enabled.",
	"reset":          "Your password has been set. Please sign in.",
	"signedout":      "You have signed out.",
	"welcome":        "Welcome to Cairn.",
}

func flashText(key string) string { return flashes[key] }
