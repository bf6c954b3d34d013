package web

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func prfUser(t *testing.T, e *webEnv, p *programs.Program, role access.Role, email, first, last string) *auth.User {
	t.Helper()
	u, err := e.auth.CreateUser(context.Background(), access.System(p.ID), auth.NewUser{ProgramID: p.ID, Email: email,
		FirstName: first, LastName: last, Role: role, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// prfForm is a complete, valid profile form.
func prfForm(vis access.Visibility) url.Values {
	return url.Values{"pronouns": {"they/them"}, "bio": {"<script>alert(1)</script> Hi"}, "city": {"Duluth"},
		"languages": {"English, Español"}, "interests_other": {"Kayaking"}, "pathway": {"smart"},
		"contact_times": {"evenings"}, "vis_recovery": {"coach"}, "vis_milestones": {"coach"},
		"vis_pathways": {string(vis)}, "vis_checkins": {"coach"}}
}

func TestProfilePathwayVisibilityMatrix(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ctx := context.Background()
		alex := e.users[access.Alumnus]
		buddy := prfUser(t, e, e.program, access.Alumnus, "buddy@example.test", "Bo", "Lind")
		peer := prfUser(t, e, e.program, access.Alumnus, "peer@example.test", "Pat", "Quinn")
		alien := prfUser(t, e, e.other, access.Alumnus, "alien@example.test", "Ola", "Nord")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if err := members.AssignCoach(ctx, tx, e.program.ID, alex.ID, e.users[access.Coach].ID); err != nil {
				return err
			}
			return members.AddBuddies(ctx, tx, e.program.ID, alex.ID, buddy.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		viewers := []struct {
			name string
			u    *auth.User
		}{
			{"self", alex}, {"coach", e.users[access.Coach]}, {"buddy", buddy}, {"peer", peer},
			{"staff", e.users[access.Coordinator]}, {"alien", alien}, {"family", e.users[access.Family]},
		}
		cookies := map[string]string{}
		for _, v := range viewers {
			cookies[v.name] = e.signIn(v.u)
		}
		want := map[access.Visibility]map[string]bool{
			access.VisMe:      {"self": true},
			access.VisCoach:   {"self": true, "coach": true},
			access.VisBuddy:   {"self": true, "coach": true, "buddy": true},
			access.VisProgram: {"self": true, "coach": true, "buddy": true, "peer": true, "staff": true},
		}
		link := `href="/members/` + alex.ID + `"`
		for _, vis := range access.Visibilities {
			if rec := e.do("POST", "/profile", prfForm(vis), cookies["self"]); rec.Code != http.StatusSeeOther {
				t.Fatalf("save profile: %d %s", rec.Code, rec.Body)
			}
			for _, v := range viewers {
				rec := e.do("GET", "/members/"+alex.ID, nil, cookies[v.name])
				body := rec.Body.String()
				if v.name == "alien" || v.name == "family" {
					if rec.Code != http.StatusNotFound {
						t.Errorf("%s/%s: member page %d, want 404", vis, v.name, rec.Code)
					}
				} else {
					if rec.Code != http.StatusOK {
						t.Fatalf("%s/%s: member page %d", vis, v.name, rec.Code)
					}
					if got := strings.Contains(body, "SMART Recovery"); got != want[vis][v.name] {
						t.Errorf("%s/%s: member page shows the pathway = %v", vis, v.name, got)
					}
					if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
						t.Errorf("%s: the bio is not escaped", v.name)
					}
					if got := strings.Contains(body, "Rivera"); got != (v.name == "self" || v.u.Role.Staff()) {
						t.Errorf("%s/%s: surname shown = %v", vis, v.name, got)
					}
				}
				for _, q := range []string{"?pathway=smart", "?q=SMART"} {
					rec = e.do("GET", "/directory"+q, nil, cookies[v.name])
					if v.name == "family" {
						if rec.Code != http.StatusNotFound {
							t.Errorf("family: directory %d, want 404", rec.Code)
						}
						continue
					}
					if rec.Code != http.StatusOK {
						t.Fatalf("%s: directory %d", v.name, rec.Code)
					}
					if got := strings.Contains(rec.Body.String(), link); got != want[vis][v.name] {
						t.Errorf("%s/%s: directory%s lists alex = %v", vis, v.name, q, got)
					}
				}
			}
		}
		// Hidden members are listed to themselves and staff only.
		form := prfForm(access.VisProgram)
		form.Set("hidden", "on")
		if rec := e.do("POST", "/profile", form, cookies["self"]); rec.Code != http.StatusSeeOther {
			t.Fatalf("hide: %d", rec.Code)
		}
		for _, v := range viewers[:5] {
			rec := e.do("GET", "/directory?city=duluth", nil, cookies[v.name])
			if got, w := strings.Contains(rec.Body.String(), link), v.name == "self" || v.u.Role.Staff(); got != w {
				t.Errorf("%s: hidden alex listed = %v, want %v", v.name, got, w)
			}
		}
	})
}

func TestProfileFormValidation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		cookie := e.signIn(e.users[access.Alumnus])
		cases := map[string]func(url.Values){
			"bio":          func(f url.Values) { f.Set("bio", strings.Repeat("x", members.MaxBio+1)) },
			"city":         func(f url.Values) { f.Set("city", strings.Repeat("x", members.MaxShortText+1)) },
			"pathways":     func(f url.Values) { f.Set("pathway", "astrology") },
			"vis_pathways": func(f url.Values) { f.Set("vis_pathways", "everyone") },
			"languages":    func(f url.Values) { f.Set("languages", strings.Repeat("x", members.MaxItemLength+1)) },
		}
		for field, mod := range cases {
			form := prfForm(access.VisCoach)
			mod(form)
			rec := e.do("POST", "/profile", form, cookie)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", field, rec.Code)
				continue
			}
			if !strings.Contains(rec.Body.String(), `id="`+field+`-error"`) || !strings.Contains(rec.Body.String(), `href="#`+field+`"`) {
				t.Errorf("%s: the error page does not name the field", field)
			}
			// What was typed is kept.
			if !strings.Contains(rec.Body.String(), "Kayaking") {
				t.Errorf("%s: the form lost what was typed", field)
			}
		}
		rec := e.do("GET", "/profile", nil, cookie)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Kayaking") {
			t.Errorf("a refused form was saved: %d", rec.Code)
		}
	})
}

// FuzzProfileForm posts arbitrary bodies to the profile form: whatever
// arrives, the answer is a redirect or a form error, never a server error.
func FuzzProfileForm(f *testing.F) {
	e := newWebEnv(f, testkit.SQLite(f))
	cookie := e.signIn(e.users[access.Alumnus])
	for _, seed := range []string{
		"", prfForm(access.VisBuddy).Encode(), "bio=%zz", "pathway=smart&pathway=SMART+Recovery&vis_pathways=me",
		"languages=,,,&interest=" + strings.Repeat("a", 50), "city=%00%ff&vis_recovery=program",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		e.t = t
		rec := sgnRequest(e, http.MethodPost, "/profile", body, cookie, nil)
		if rec.Code >= 500 || (rec.Code != http.StatusSeeOther && rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest) {
			t.Fatalf("POST /profile %q: status %d", body, rec.Code)
		}
	})
}

// prfJPEG is a small JPEG image carrying an EXIF segment with a marker
// standing in for a GPS location.
func prfJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := []byte("Exif\x00\x00GPS SECRET-LOCATION")
	seg := append([]byte{0xFF, 0xE1, 0, byte(len(payload) + 2)}, payload...)
	raw := b.Bytes()
	return append(append(append([]byte{}, raw[:2]...), seg...), raw[2:]...)
}

// prfMatrixPhoto gives the matrix alumnus a photo and returns their id.
func prfMatrixPhoto(f *admFixture) string {
	u := f.e.users[access.Alumnus]
	if err := members.SetPhoto(context.Background(), f.e.db, u.Actor("matrix"), prfJPEG(f.e.t)); err != nil {
		f.e.t.Fatal(err)
	}
	return u.ID
}

func prfUpload(t *testing.T, e *webEnv, cookie string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("photo", "me.jpg")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req := httptest.NewRequest("POST", "http://cairn.test/profile/photo", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func TestProfilePhoto(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alex := e.users[access.Alumnus]
		cookie := e.signIn(alex)
		if rec := prfUpload(t, e, cookie, []byte("<html><script>alert(1)</script></html>")); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), `id="photo-error"`) {
			t.Fatalf("html upload: %d", rec.Code)
		}
		if rec := prfUpload(t, e, cookie, prfJPEG(t)); rec.Code != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", rec.Code, rec.Body)
		}
		peer := prfUser(t, e, e.program, access.Alumnus, "peer@example.test", "Pat", "Quinn")
		rec := e.do("GET", "/members/"+alex.ID+"/photo", nil, e.signIn(peer))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/jpeg" ||
			rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("photo: %d %v", rec.Code, rec.Header())
		}
		if bytes.Contains(rec.Body.Bytes(), []byte("SECRET-LOCATION")) {
			t.Error("the photo kept its EXIF data")
		}
		if _, err := jpeg.Decode(bytes.NewReader(rec.Body.Bytes())); err != nil {
			t.Errorf("served photo: %v", err)
		}
		if rec := e.do("GET", "/members/"+alex.ID, nil, cookie); !strings.Contains(rec.Body.String(), `src="/members/`+alex.ID+`/photo"`) {
			t.Error("member page has no photo")
		}
		if rec := e.do("GET", "/members/"+alex.ID+"/photo", nil, e.signIn(e.outsider)); rec.Code != http.StatusNotFound {
			t.Errorf("outsider: %d", rec.Code)
		}
		if rec := e.do("POST", "/profile/photo/remove", url.Values{}, cookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("remove: %d", rec.Code)
		}
		if rec := e.do("GET", "/members/"+alex.ID+"/photo", nil, cookie); rec.Code != http.StatusNotFound {
			t.Errorf("removed photo: %d", rec.Code)
		}
	})
}

func TestAdminInterests(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		admin := e.signIn(e.users[access.Admin])
		if rec := e.do("POST", "/admin/interests", url.Values{"interests": {"Hiking\r\nYoga\n\nhiking\n<b>Chess</b>"}}, admin); rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d", rec.Code)
		}
		rec := e.do("GET", "/profile", nil, e.signIn(e.users[access.Alumnus]))
		body := rec.Body.String()
		if !strings.Contains(body, `value="Yoga"`) || !strings.Contains(body, "&lt;b&gt;Chess&lt;/b&gt;") || strings.Count(body, `value="Hiking"`) != 1 {
			t.Errorf("profile form does not offer the program's interests")
		}
		rec = e.do("POST", "/admin/interests", url.Values{"interests": {strings.Repeat("x", members.MaxItemLength+1)}}, admin)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="interests-error"`) {
			t.Errorf("long interest: %d", rec.Code)
		}
	})
}
