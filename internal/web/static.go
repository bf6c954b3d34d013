package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets with long cache lifetimes; URLs
// carry a hash of the content so that a new release is fetched at once.
type staticFiles struct {
	fsys    fs.FS
	version map[string]string
}

func loadStatic() (*staticFiles, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	st := &staticFiles{fsys: sub, version: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		st.version[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	return st, err
}

// url returns the address of an asset, with its content hash.
func (st *staticFiles) url(name string) string {
	return "/static/" + name + "?v=" + st.version[name]
}

func (st *staticFiles) handler() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(st.fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if _, ok := st.version[name]; !ok || strings.HasSuffix(name, ".md") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}
