package web

import (
	"errors"
	"net/http"
	"strings"
)

// parseForm reads a posted form. A body over the size cap keeps its
// *http.MaxBytesError (the 413 page); any other unreadable body, such as
// bad percent-encoding or a broken content type, is a 400 page. Nothing
// about the body is logged.
func parseForm(r *http.Request) error {
	err := r.ParseForm()
	if err == nil {
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return errStatus(http.StatusBadRequest, "We could not read what was sent. Please go back, reload the page and try again.")
}

// postedField returns the trimmed value of a posted field. Passwords are read
// with r.PostFormValue directly, since spaces in them count.
func postedField(r *http.Request, field string) string {
	return strings.TrimSpace(r.PostFormValue(field))
}
