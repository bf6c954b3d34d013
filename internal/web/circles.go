package web

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
)

// circleRoutes are the circles: the list, each circle with its posts and
// comments, joining and leaving, and the staff's and moderators' pages.
func (s *Server) circleRoutes() []route {
	return []route{
		{"GET /circles", signedIn, s.circleList},
		{"GET /circles/new", signedIn, s.circleNew},
		{"POST /circles", signedIn, s.circleCreate},
		{"GET /circles/{id}", signedIn, s.circlePage},
		{"GET /circles/{id}/edit", signedIn, s.circleEdit},
		{"POST /circles/{id}/edit", signedIn, s.circleUpdate},
		{"POST /circles/{id}/join", signedIn, s.circleJoin},
		{"POST /circles/{id}/leave", signedIn, s.circleLeave},
		{"GET /circles/{id}/people", signedIn, s.circlePeople},
		{"POST /circles/{id}/people/{user}/answer", signedIn, s.circleAnswer},
		{"POST /circles/{id}/people/{user}/moderator", signedIn, s.circleModerator},
		{"POST /circles/{id}/posts", signedIn, s.circlePost},
		{"GET /circles/{id}/posts/{post}", signedIn, s.circlePostPage},
		{"GET /circles/{id}/posts/{post}/edit", signedIn, s.circlePostEdit},
		{"POST /circles/{id}/posts/{post}/edit", signedIn, s.circlePostUpdate},
		{"POST /circles/{id}/posts/{post}/delete", signedIn, s.circlePostDelete},
		{"POST /circles/{id}/posts/{post}/pin", signedIn, s.circlePostPin},
		{"POST /circles/{id}/posts/{post}/hide", signedIn, s.circlePostHide},
		{"POST /circles/{id}/posts/{post}/react", signedIn, s.circleReact},
		{"POST /circles/{id}/posts/{post}/comments", signedIn, s.circleComment},
		{"GET /circles/{id}/posts/{post}/comments/{comment}/edit", signedIn, s.circleCommentEdit},
		{"POST /circles/{id}/posts/{post}/comments/{comment}/edit", signedIn, s.circleCommentUpdate},
		{"POST /circles/{id}/posts/{post}/comments/{comment}/delete", signedIn, s.circleCommentDelete},
		{"POST /circles/{id}/posts/{post}/comments/{comment}/hide", signedIn, s.circleCommentHide},
	}
}

// circleFlashes are the confirmations of the circle pages (?done=…).
var circleFlashes = map[string]string{
	"created":   "Circle created.",
	"saved":     "Saved.",
	"joined":    "Welcome to the circle.",
	"requested": "Your request to join was sent. A moderator will answer soon.",
	"left":      "You have left the circle. You are welcome back any time.",
	"posted":    "Posted.",
	"deleted":   "Deleted.",
	"commented": "Your comment was added.",
	"answered":  "Done.",
}

// circleView is newView with the circles' own confirmations.
func (s *Server) circleView(r *http.Request, title string, data any) *view {
	v := s.newView(r, title, data)
	v.Nav = "circles"
	if f, ok := circleFlashes[r.URL.Query().Get("done")]; ok {
		v.Flash = f
	}
	return v
}

// circleListData is the /circles page.
type circleListData struct {
	Mine, Others []*circles.Circle
	CanManage    bool
}

// circleList shows the person's circles and the others they may join.
func (s *Server) circleList(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := circles.List(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	data := circleListData{CanManage: access.ManageCircles(a, a.ProgramID) == nil}
	for _, c := range list {
		if c.Member() {
			data.Mine = append(data.Mine, c)
		} else {
			data.Others = append(data.Others, c)
		}
	}
	return s.render(w, r, "circles", s.circleView(r, "Circles", data))
}

// circleData is a circle's page.
type circleData struct {
	Circle *circles.Circle
	Posts  []postView
	// PostsHTML is the list of Posts, each a card (postListHTML).
	PostsHTML                                          template.HTML
	Next                                               string
	Upcoming                                           []circles.Gathering
	CanRead, CanWrite, CanModerate, CanManage, CanJoin bool
	// Live is the path the page's script watches for new posts.
	Live string
}

// postView is a post ready to show: its fields copied flat (templates
// find flat fields faster than promoted ones), its words as HTML.
type postView struct {
	ID, Author, Body, Link string
	Pinned, Hidden, Shown  bool
	Own                    bool
	CreatedAt, EditedAt    time.Time
	Comments               int
	Reactions              []circles.ReactionCount
	HTML                   template.HTML
	// When and ISO are CreatedAt for people (in the program's zone) and
	// for machines.
	When, ISO string
}

func newPostView(c *circles.Circle, p *circles.Post, loc *time.Location) postView {
	v := postView{ID: p.ID, Author: p.Author, Body: p.Body, Link: "/circles/" + c.ID + "/posts/" + p.ID,
		Pinned: p.Pinned, Hidden: p.Hidden, Shown: p.Shown(), Own: p.Own, CreatedAt: p.CreatedAt, EditedAt: p.EditedAt,
		Comments: p.Comments, Reactions: p.ReactionCounts(),
		When: p.CreatedAt.In(loc).Format("Jan 2, 2006 3:04 PM MST"), ISO: p.CreatedAt.UTC().Format(time.RFC3339)}
	if v.Shown {
		v.HTML = postText(p.Body)
	}
	return v
}

// loadCirclePage reads what the circle page shows.
func (s *Server) loadCirclePage(r *http.Request) (*circleData, error) {
	a, ctx := actor(r), r.Context()
	c, page, err := circles.GetWithPosts(ctx, s.db, a, r.PathValue("id"), r.URL.Query().Get("after"))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return nil, errStatus(http.StatusBadRequest, ve[0].Message)
	}
	if err != nil {
		return nil, err
	}
	d := &circleData{Circle: c, CanRead: page != nil, CanWrite: c.MayWrite(a), CanModerate: c.MayModerate(a),
		CanManage: c.MayManage(a), CanJoin: c.MayJoin(a)}
	if page != nil {
		loc := s.programLoc(r)
		d.Posts = make([]postView, 0, len(page.Posts))
		for _, p := range page.Posts {
			d.Posts = append(d.Posts, newPostView(c, p, loc))
		}
		d.PostsHTML = postListHTML(d.Posts, d.CanWrite, d.CanModerate)
		d.Next = page.Next
	}
	if d.Upcoming, err = circles.Upcoming(ctx, s.db, a, c); err != nil {
		return nil, err
	}
	return d, nil
}

// circlePage shows a circle: about, join or leave, posts, events.
func (s *Server) circlePage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadCirclePage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "circles_circle", s.circleView(r, d.Circle.Name, d))
}

// circleJoin joins an open circle or asks to join one by request.
func (s *Server) circleJoin(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	state, err := circles.Join(r.Context(), s.db, actor(r), id)
	if err != nil {
		return err
	}
	done := "joined"
	if state == "requested" {
		done = "requested"
	}
	http.Redirect(w, r, "/circles/"+id+"?done="+done, http.StatusSeeOther)
	return nil
}

// circleLeave leaves a circle (or withdraws a request).
func (s *Server) circleLeave(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := circles.Leave(r.Context(), s.db, actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/circles?done=left", http.StatusSeeOther)
	return nil
}

// circlePost adds a post to the circle.
func (s *Server) circlePost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a, id := actor(r), r.PathValue("id")
	_, flagged, err := circles.CreatePost(r.Context(), s.db, a, id, r.PostFormValue("body"))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		d, lerr := s.loadCirclePage(r)
		if lerr != nil {
			return lerr
		}
		v := s.circleView(r, d.Circle.Name, d)
		v.Form = r.PostForm
		return s.validationError(w, r, "circles_circle", v, ve)
	}
	if err != nil {
		return err
	}
	s.afterWrite(w, r, "/circles/"+id+"?done=posted", flagged)
	return nil
}

// ReactionsFor is the post's reaction block (circles_reactions.go); from
// is "post" on the post's own page.
func (p postView) ReactionsFor(canWrite bool, from string) template.HTML {
	return reactionsHTML(p, canWrite, from)
}
