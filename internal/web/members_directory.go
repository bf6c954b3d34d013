package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
)

// directoryRoutes is the member directory of the signed-in person's program.
func (s *Server) directoryRoutes() []route {
	return []route{
		{"GET /directory", signedIn, s.directory},
	}
}

// directoryPage is the directory's data.
type directoryPage struct {
	Members  []*members.MemberView
	Pathways []members.Pathway
	// Searched reports whether any filter was given.
	Searched bool
	// Capped reports that more members matched than are shown.
	Capped bool
}

func (s *Server) directory(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if access.UseProfiles(a) != nil {
		return errNotFound
	}
	q := r.URL.Query()
	f := members.DirectoryFilter{Query: q.Get("q"), Interest: q.Get("interest"), City: q.Get("city"),
		Language: q.Get("language"), Pathway: q.Get("pathway")}
	v := s.newView(r, "Directory", nil)
	v.Nav = "directory"
	v.Form = url.Values{}
	for _, k := range []string{"q", "interest", "city", "language", "pathway"} {
		if val := q.Get(k); val != "" {
			if len(val) > 200 {
				return errStatus(http.StatusBadRequest, "That search is too long. Please shorten it.")
			}
			v.Form.Set(k, val)
		}
	}
	list, err := members.Directory(r.Context(), s.db, a, f)
	var ve members.ValidationError
	if errors.As(err, &ve) {
		v.Data = &directoryPage{Pathways: members.Pathways, Searched: true}
		return s.validationError(w, r, "members_directory", v, ve)
	}
	if err != nil {
		return err
	}
	v.Data = &directoryPage{Members: list, Pathways: members.Pathways, Searched: len(v.Form) > 0,
		Capped: len(list) >= members.MaxDirectoryResults}
	return s.render(w, r, "members_directory", v)
}
