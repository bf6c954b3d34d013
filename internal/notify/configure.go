package notify

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"sync/atomic"
)

// site is what Send needs from the running application to write links
// that work outside the site: its public address and a key for
// unsubscribe tokens.
type site struct {
	baseURL string
	key     []byte // derived from the secret key, for unsubscribe tokens only
}

var current atomic.Pointer[site]

func init() {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	current.Store(&site{baseURL: "http://localhost", key: k})
}

// Configure sets the site's public address (CAIRN_BASE_URL, used for the
// absolute links in email and SMS) and the secret key that signs
// unsubscribe links. The application calls it once at start; until then a
// random key and http://localhost are used, so links made before do not
// verify after.
func Configure(baseURL string, secretKey []byte) {
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte("cairn notify unsubscribe v1"))
	current.Store(&site{baseURL: strings.TrimRight(baseURL, "/"), key: mac.Sum(nil)})
}

func config() *site { return current.Load() }

// absolute turns a path on this site into a full URL.
func absolute(path string) string {
	if path == "" {
		path = "/notifications"
	}
	return config().baseURL + path
}
