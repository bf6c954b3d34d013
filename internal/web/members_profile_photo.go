package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
)

// photoRoutes are the upload and removal of the signed-in person's profile
// photo, and the photo of a member, served to those who may see them.
func (s *Server) photoRoutes() []route {
	return []route{
		{"POST /profile/photo", signedIn, s.photoUpload},
		{"POST /profile/photo/remove", signedIn, s.photoRemove},
		{"GET /members/{id}/photo", signedIn, s.memberPhoto},
	}
}

func (s *Server) photoUpload(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if access.UseProfiles(a) != nil {
		return errNotFound
	}
	var data []byte
	err := r.ParseMultipartForm(1 << 20)
	if err == nil {
		f, _, ferr := r.FormFile("photo")
		if ferr == nil {
			data, err = io.ReadAll(io.LimitReader(f, members.MaxPhotoBytes+1))
			_ = f.Close()
		}
	}
	if r.MultipartForm != nil {
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	if err != nil {
		return errStatus(http.StatusBadRequest, "We could not read the upload. Please go back, reload the page and try again.")
	}
	err = members.SetPhoto(r.Context(), s.db, a, data)
	var ve members.ValidationError
	if errors.As(err, &ve) {
		p, perr := members.MyProfile(r.Context(), s.db, a)
		if perr != nil {
			return perr
		}
		v, verr := s.profileView(r, p, p.Input())
		if verr != nil {
			return verr
		}
		return s.validationError(w, r, "members_profile", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/profile?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) photoRemove(w http.ResponseWriter, r *http.Request) error {
	if err := members.RemovePhoto(r.Context(), s.db, actor(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/profile?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) memberPhoto(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	data, ct, err := members.Photo(r.Context(), s.db, actor(r), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
	return nil
}
