package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cairn-recovery/cairn/internal/notify"
)

// Page sizes of GET /api/v1/notifications.
const (
	defaultLimit = 20
	maxLimit     = 100
	// maxMarkIDs bounds the ids of one POST /api/v1/notifications/read.
	maxMarkIDs = 100
)

// notificationJSON is one notification in a list.
type notificationJSON struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// pageJSON is a page of a cursor-paged list; NextCursor is null on the
// last page.
type pageJSON[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageLimit reads a list's "limit" query parameter: defaultLimit when
// it is left out, otherwise a whole number from 1 to maxLimit.
func pageLimit(q url.Values) (int, error) {
	s := q.Get("limit")
	if s == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLimit {
		return 0, invalid("limit", "Must be a whole number from 1 to 100.")
	}
	return n, nil
}

// listNotifications answers the caller's own notifications, newest first.
func (a *API) listNotifications(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	limit, err := pageLimit(q)
	if err != nil {
		return err
	}
	list, next, err := notify.List(r.Context(), a.db, c.actor(), q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	page := pageJSON[notificationJSON]{Items: make([]notificationJSON, 0, len(list))}
	for _, n := range list {
		page.Items = append(page.Items, notificationJSON{ID: n.ID, Kind: string(n.Kind), Title: n.Title, Body: n.Body,
			Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt})
	}
	if next != "" {
		page.NextCursor = &next
	}
	return writeJSON(w, page)
}

// markNotificationRead marks one of the caller's notifications read.
func (a *API) markNotificationRead(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := notify.MarkRead(r.Context(), a.db, c.actor(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// markReadRequest is the body of POST /api/v1/notifications/read: either
// some ids, or all.
type markReadRequest struct {
	IDs []string `json:"ids"`
	All bool     `json:"all"`
}

// markNotificationsRead marks several, or all, of the caller's
// notifications read, in one transaction: when one id is not the caller's
// nothing is marked and the 404 names that id.
func (a *API) markNotificationsRead(w http.ResponseWriter, r *http.Request, c *call) error {
	var req markReadRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	switch {
	case req.All && len(req.IDs) > 0:
		return invalid("ids", "Send either ids or \"all\": true, not both.")
	case req.All:
		if err := notify.MarkAllRead(r.Context(), a.db, c.actor()); err != nil {
			return err
		}
	case len(req.IDs) == 0:
		return invalid("ids", "Send at least one notification id, or \"all\": true.")
	case len(req.IDs) > maxMarkIDs:
		return invalid("ids", "Send at most 100 ids at once.")
	default:
		for i, id := range req.IDs {
			if id == "" || len(id) > 64 {
				return invalid("ids["+strconv.Itoa(i)+"]", "Must be a notification id.")
			}
		}
		err := notify.MarkReadMany(r.Context(), a.db, c.actor(), req.IDs)
		var ny *notify.NotYoursError
		if errors.As(err, &ny) {
			np := *problemFor(err)
			np.Errors = []FieldProblem{{Field: "ids[" + strconv.Itoa(ny.Index) + "]", Message: "No notification of yours has this id."}}
			return &np
		}
		if err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
