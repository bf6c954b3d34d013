package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
)

// postData is a post's page: the post, its comments and the reply form.
type postData struct {
	Circle                *circles.Circle
	Post                  postView
	Comments              []commentView
	CanWrite, CanModerate bool
	// Editing is true on the author's edit form of the post;
	// EditComment is the id of the comment whose author edits it.
	Editing     bool
	EditComment string
}

// commentView is a comment ready to show, its fields copied flat.
type commentView struct {
	ID, Author, Body string
	Hidden, Shown    bool
	Own, Mod         bool
	CreatedAt        time.Time
	HTML             template.HTML
}

// loadPostPage reads a post with its comments.
func (s *Server) loadPostPage(r *http.Request) (*postData, error) {
	a, ctx := actor(r), r.Context()
	c, p, err := circles.GetPost(ctx, s.db, a, r.PathValue("id"), r.PathValue("post"))
	if err != nil {
		return nil, err
	}
	list, err := circles.Comments(ctx, s.db, a, c.ID, p.ID)
	if err != nil {
		return nil, err
	}
	d := &postData{Circle: c, Post: newPostView(c, p, s.programLoc(r)), CanWrite: c.MayWrite(a), CanModerate: c.MayModerate(a)}
	for _, k := range list {
		cv := commentView{ID: k.ID, Author: k.Author, Body: k.Body, Hidden: k.Hidden, Shown: k.Shown(), Own: k.Own, Mod: k.Mod, CreatedAt: k.CreatedAt}
		if cv.Shown {
			cv.HTML = richText(k.Body)
		}
		d.Comments = append(d.Comments, cv)
	}
	return d, nil
}

// postFormError shows a post's page again with the words the person sent
// and ve's messages by the form: title is the page's ("" for the post's
// own), and mark, when not nil, opens the edit form that was sent.
func (s *Server) postFormError(w http.ResponseWriter, r *http.Request, title string, ve members.ValidationError, mark func(*postData)) error {
	d, err := s.loadPostPage(r)
	if err != nil {
		return err
	}
	if mark != nil {
		mark(d)
	}
	if title == "" {
		title = "Post in " + d.Circle.Name
	}
	v := s.circleView(r, title, d)
	v.Form = r.PostForm
	return s.validationError(w, r, "circles_post", v, ve)
}

// circlePostPage shows a post with its comments and a reply form.
func (s *Server) circlePostPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadPostPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "circles_post", s.circleView(r, "Post in "+d.Circle.Name, d))
}

// circlePostEdit shows the author's form to change their post.
func (s *Server) circlePostEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadPostPage(r)
	if err != nil {
		return err
	}
	if !d.Post.Own || !d.CanWrite {
		return errNotFound
	}
	d.Editing = true
	v := s.circleView(r, "Edit your post", d)
	v.Form = map[string][]string{"body": {d.Post.Body}}
	return s.render(w, r, "circles_post", v)
}

// circlePostUpdate saves the author's change to their post.
func (s *Server) circlePostUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, post := r.PathValue("id"), r.PathValue("post")
	flagged, err := circles.EditPost(r.Context(), s.db, actor(r), id, post, r.PostFormValue("body"))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return s.postFormError(w, r, "Edit your post", ve, func(d *postData) { d.Editing = true })
	}
	if err != nil {
		return err
	}
	s.afterWrite(w, r, "/circles/"+id+"/posts/"+post+"?done=saved", flagged)
	return nil
}

// circlePostDelete deletes a post (its author or a moderator).
func (s *Server) circlePostDelete(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := circles.DeletePost(r.Context(), s.db, actor(r), id, r.PathValue("post")); err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+id+"?done=deleted", http.StatusSeeOther)
	return nil
}

// on reads a posted on/off switch ("1" is on).
func on(r *http.Request) bool { return r.PostFormValue("on") == "1" }

// circlePostPin pins or unpins a post (moderators).
func (s *Server) circlePostPin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := circles.PinPost(r.Context(), s.db, actor(r), id, r.PathValue("post"), on(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+id+"?done=saved", http.StatusSeeOther)
	return nil
}

// circlePostHide hides or shows a post again (moderators).
func (s *Server) circlePostHide(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, post := r.PathValue("id"), r.PathValue("post")
	if err := circles.HidePost(r.Context(), s.db, actor(r), id, post, on(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+id+"/posts/"+post+"?done=saved", http.StatusSeeOther)
	return nil
}

// circleReact toggles the person's reaction to a post. For htmx it
// answers the post's reaction buttons alone.
func (s *Server) circleReact(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a, id, post := actor(r), r.PathValue("id"), r.PathValue("post")
	_, err := circles.React(r.Context(), s.db, a, id, post, r.PostFormValue("kind"))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return errStatus(http.StatusUnprocessableEntity, ve[0].Message)
	}
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") != "" {
		c, p, err := circles.GetPost(r.Context(), s.db, a, id, post)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, string(reactionsHTML(newPostView(c, p, s.programLoc(r)), true, r.PostFormValue("from"))))
		return nil
	}
	back := "/circles/" + id + "#post-" + post
	if r.PostFormValue("from") == "post" {
		back = "/circles/" + id + "/posts/" + post
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// circleComment adds a comment to a post.
func (s *Server) circleComment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, post := r.PathValue("id"), r.PathValue("post")
	cid, flagged, err := circles.AddComment(r.Context(), s.db, actor(r), id, post, r.PostFormValue("body"))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return s.postFormError(w, r, "", ve, nil)
	}
	if err != nil {
		return err
	}
	s.afterWrite(w, r, "/circles/"+id+"/posts/"+post+"?done=commented#comment-"+cid, flagged)
	return nil
}

// circleCommentDelete deletes a comment (its author or a moderator).
func (s *Server) circleCommentDelete(w http.ResponseWriter, r *http.Request) error {
	id, post := r.PathValue("id"), r.PathValue("post")
	if err := circles.DeleteComment(r.Context(), s.db, actor(r), id, post, r.PathValue("comment")); err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+id+"/posts/"+post+"?done=deleted", http.StatusSeeOther)
	return nil
}

// circleCommentHide hides or shows a comment again (moderators).
func (s *Server) circleCommentHide(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, post := r.PathValue("id"), r.PathValue("post")
	if err := circles.HideComment(r.Context(), s.db, actor(r), id, post, r.PathValue("comment"), on(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+id+"/posts/"+post+"?done=saved", http.StatusSeeOther)
	return nil
}

// circleCommentEdit shows the author's form to change their comment.
func (s *Server) circleCommentEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadPostPage(r)
	if err != nil {
		return err
	}
	id := r.PathValue("comment")
	for _, c := range d.Comments {
		if c.ID == id && c.Own && d.CanWrite {
			d.EditComment = id
			v := s.circleView(r, "Edit your comment", d)
			v.Form = map[string][]string{"body": {c.Body}}
			return s.render(w, r, "circles_post", v)
		}
	}
	return errNotFound
}

// circleCommentUpdate saves the author's change to their comment.
func (s *Server) circleCommentUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, post, comment := r.PathValue("id"), r.PathValue("post"), r.PathValue("comment")
	flagged, err := circles.EditComment(r.Context(), s.db, actor(r), id, post, comment, r.PostFormValue("body"))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return s.postFormError(w, r, "Edit your comment", ve, func(d *postData) { d.EditComment = comment })
	}
	if err != nil {
		return err
	}
	s.afterWrite(w, r, "/circles/"+id+"/posts/"+post+"?done=saved#comment-"+comment, flagged)
	return nil
}
