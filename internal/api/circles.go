package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
)

// circleRoutes are the circles: list and create, join, posts, comments
// and reactions.
func (a *API) circleRoutes() []route {
	return []route{
		{"GET /api/v1/circles", false, a.listCircles},
		{"POST /api/v1/circles", false, a.createCircle},
		{"POST /api/v1/circles/{id}/join", false, a.joinCircle},
		{"POST /api/v1/circles/{id}/leave", false, a.leaveCircle},
		{"GET /api/v1/circles/{id}/posts", false, a.listCirclePosts},
		{"POST /api/v1/circles/{id}/posts", false, a.createCirclePost},
		{"GET /api/v1/circles/{id}/posts/{post}/comments", false, a.listCircleComments},
		{"POST /api/v1/circles/{id}/posts/{post}/comments", false, a.createCircleComment},
		{"POST /api/v1/circles/{id}/posts/{post}/reactions", false, a.toggleCircleReaction},
	}
}

// circleJSON is a circle as the caller sees it.
type circleJSON struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Interest    string `json:"interest"`
	JoinPolicy  string `json:"join_policy"`
	Archived    bool   `json:"archived"`
	Members     int    `json:"members"`
	// State is "member", "requested" or "none".
	State     string `json:"state"`
	Moderator bool   `json:"moderator"`
}

func toCircleJSON(c *circles.Circle) circleJSON {
	state := c.State
	if state == "" {
		state = "none"
	}
	return circleJSON{ID: c.ID, Kind: c.Kind, Name: c.Name, Description: c.Description, Interest: c.Interest,
		JoinPolicy: c.JoinPolicy, Archived: c.Archived, Members: c.Members, State: state, Moderator: c.Moderator}
}

// circleListJSON is the answer of GET /api/v1/circles.
type circleListJSON struct {
	Items []circleJSON `json:"items"`
}

// listCircles answers the circles the caller sees, their own first.
func (a *API) listCircles(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := circles.List(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := circleListJSON{Items: make([]circleJSON, 0, len(list))}
	for _, x := range list {
		out.Items = append(out.Items, toCircleJSON(x))
	}
	return writeJSON(w, out)
}

// circleRequest is the body of POST /api/v1/circles.
type circleRequest struct {
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Interest    string `json:"interest"`
	JoinPolicy  string `json:"join_policy"`
}

// input is the request as the store's input; a missing join_policy is open.
func (q circleRequest) input() circles.Input {
	if q.JoinPolicy == "" {
		q.JoinPolicy = circles.JoinOpen
	}
	return circles.Input{Kind: q.Kind, Name: q.Name, Description: q.Description, Interest: q.Interest, JoinPolicy: q.JoinPolicy}
}

// createCircle makes a circle (coordinators and admins; others get 404).
func (a *API) createCircle(w http.ResponseWriter, r *http.Request, c *call) error {
	var req circleRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	made, err := circles.Create(r.Context(), a.db, c.actor(), req.input())
	if err != nil {
		return membersProblem(err)
	}
	return writeJSONStatus(w, http.StatusCreated, toCircleJSON(made))
}

// circleID reads the {id} of the path, or 404.
func circleID(r *http.Request, name string) (string, error) {
	id := r.PathValue(name)
	if id == "" || len(id) > 64 {
		return "", errNotFound
	}
	return id, nil
}

// joinJSON is the answer of joining: "member" or "requested".
type joinJSON struct {
	State string `json:"state"`
}

// joinCircle joins an open circle, or asks to join one by request.
func (a *API) joinCircle(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := circleID(r, "id")
	if err != nil {
		return err
	}
	state, err := circles.Join(r.Context(), a.db, c.actor(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, joinJSON{State: state})
}

// leaveCircle leaves a circle (or withdraws the request).
func (a *API) leaveCircle(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := circleID(r, "id")
	if err != nil {
		return err
	}
	if err := circles.Leave(r.Context(), a.db, c.actor(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// circlePostJSON is a post as the caller sees it; a hidden post's body is
// empty unless the caller moderates the circle.
type circlePostJSON struct {
	ID        string         `json:"id"`
	CircleID  string         `json:"circle_id"`
	AuthorID  string         `json:"author_id"`
	Author    string         `json:"author"`
	Body      string         `json:"body"`
	Pinned    bool           `json:"pinned"`
	Hidden    bool           `json:"hidden"`
	CreatedAt time.Time      `json:"created_at"`
	EditedAt  *time.Time     `json:"edited_at"`
	Comments  int            `json:"comments"`
	Reactions map[string]int `json:"reactions"`
	Mine      []string       `json:"my_reactions"`
}

func toCirclePostJSON(p *circles.Post) circlePostJSON {
	out := circlePostJSON{ID: p.ID, CircleID: p.CircleID, AuthorID: p.AuthorID, Author: p.Author, Body: p.Body, Pinned: p.Pinned,
		Hidden: p.Hidden, CreatedAt: p.CreatedAt.UTC(), Comments: p.Comments, Reactions: p.Reactions, Mine: []string{}}
	if !p.EditedAt.IsZero() {
		t := p.EditedAt.UTC()
		out.EditedAt = &t
	}
	for _, r := range circles.Reactions {
		if p.Mine[r.Kind] {
			out.Mine = append(out.Mine, r.Kind)
		}
	}
	return out
}

// listCirclePosts answers a page of a circle's posts: pinned first, then
// newest first, 20 at a time.
func (a *API) listCirclePosts(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := circleID(r, "id")
	if err != nil {
		return err
	}
	cur := r.URL.Query().Get("cursor")
	if len(cur) > 200 {
		return invalid("cursor", "Is not a cursor this list returned.")
	}
	page, err := circles.Posts(r.Context(), a.db, c.actor(), id, cur)
	if ve := (members.ValidationError{}); errors.As(err, &ve) && ve.For("cursor") != "" {
		return invalid("cursor", "Is not a cursor this list returned.")
	}
	if err != nil {
		return membersProblem(err)
	}
	out := pageJSON[circlePostJSON]{Items: make([]circlePostJSON, 0, len(page.Posts))}
	for _, p := range page.Posts {
		out.Items = append(out.Items, toCirclePostJSON(p))
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	b, err := appendPostsJSON(make([]byte, 0, 512*(len(out.Items)+1)), out)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", itoa(len(b)))
	_, _ = w.Write(b)
	return nil
}

// textRequest is the body of a new post or comment.
type textRequest struct {
	Body string `json:"body"`
}

// createdJSON is the answer of a new post or comment, with the crisis
// numbers when its words held crisis language (it is saved all the same).
type createdJSON struct {
	ID            string         `json:"id"`
	CrisisSupport *crisisSupport `json:"crisis_support,omitempty"`
}

// writeCreated answers the creation of post or comment id (or err's
// problem), with the crisis numbers when its words were flagged.
func (a *API) writeCreated(w http.ResponseWriter, r *http.Request, c *call, id string, flagged bool, err error) error {
	if err != nil {
		return membersProblem(err)
	}
	out := createdJSON{ID: id}
	if flagged {
		out.CrisisSupport = a.crisisSupportFor(r, c)
	}
	return writeJSONStatus(w, http.StatusCreated, out)
}

// createCirclePost posts in a circle (members and staff).
func (a *API) createCirclePost(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := circleID(r, "id")
	if err != nil {
		return err
	}
	var req textRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	postID, flagged, err := circles.CreatePost(r.Context(), a.db, c.actor(), id, req.Body)
	return a.writeCreated(w, r, c, postID, flagged, err)
}

// circleCommentJSON is a comment as the caller sees it.
type circleCommentJSON struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"author_id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	Hidden    bool      `json:"hidden"`
	CreatedAt time.Time `json:"created_at"`
}

// listCircleComments answers a post's comments, oldest first.
func (a *API) listCircleComments(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := circleID(r, "id")
	if err != nil {
		return err
	}
	post, err := circleID(r, "post")
	if err != nil {
		return err
	}
	list, err := circles.Comments(r.Context(), a.db, c.actor(), id, post)
	if err != nil {
		return err
	}
	out := struct {
		Items []circleCommentJSON `json:"items"`
	}{Items: make([]circleCommentJSON, 0, len(list))}
	for _, k := range list {
		out.Items = append(out.Items, circleCommentJSON{ID: k.ID, AuthorID: k.AuthorID, Author: k.Author, Body: k.Body,
			Hidden: k.Hidden, CreatedAt: k.CreatedAt.UTC()})
	}
	return writeJSON(w, out)
}

// createCircleComment comments on a post (members and staff).
func (a *API) createCircleComment(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := circleID(r, "id")
	if err != nil {
		return err
	}
	post, err := circleID(r, "post")
	if err != nil {
		return err
	}
	var req textRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	cid, flagged, err := circles.AddComment(r.Context(), a.db, c.actor(), id, post, req.Body)
	return a.writeCreated(w, r, c, cid, flagged, err)
}

// reactionRequest is the body of a reaction toggle.
type reactionRequest struct {
	Kind string `json:"kind"`
}

// reactionJSON says whether the caller's reaction is now given.
type reactionJSON struct {
	Kind string `json:"kind"`
	On   bool   `json:"on"`
}

// toggleCircleReaction gives the caller's reaction, or takes it back.
func (a *API) toggleCircleReaction(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := circleID(r, "id")
	if err != nil {
		return err
	}
	post, err := circleID(r, "post")
	if err != nil {
		return err
	}
	var req reactionRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	on, err := circles.React(r.Context(), a.db, c.actor(), id, post, req.Kind)
	if err != nil {
		return membersProblem(err)
	}
	return writeJSON(w, reactionJSON{Kind: req.Kind, On: on})
}
