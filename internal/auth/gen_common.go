//go:build ignore

// gen_common writes data/common-passwords.txt: the 10,000 most common
// passwords, in rank order, from the "passwords" frequency list of
// github.com/trustelem/zxcvbn v1.0.1 (a Go port of Dropbox's zxcvbn; MIT).
//
// It reads the list from the module cache as text instead of importing the
// package, so that Cairn does not depend on zxcvbn at run time or build
// time. Run it from internal/auth with:
//
//	go mod download github.com/trustelem/zxcvbn@v1.0.1
//	go run gen_common.go
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	module = "github.com/trustelem/zxcvbn@v1.0.1"
	count  = 10000
	out    = "data/common-passwords.txt"
)

func main() {
	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		log.Fatalf("go env GOMODCACHE: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(cache)), filepath.FromSlash(module), "frequency", "lists.go")
	b, err := os.ReadFile(src)
	if err != nil {
		log.Fatalf("read %s (run go mod download %s first): %v", src, module, err)
	}
	var line string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), `"passwords":`) {
			line = l
			break
		}
	}
	if line == "" {
		log.Fatalf("no passwords list in %s", src)
	}
	words, err := literals(line[strings.Index(line, "{"):])
	if err != nil {
		log.Fatal(err)
	}
	seen := make(map[string]bool)
	var list []string
	for _, w := range words {
		w = strings.ToLower(w)
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		list = append(list, w)
		if len(list) == count {
			break
		}
	}
	if len(list) < count {
		log.Fatalf("only %d passwords in the list", len(list))
	}
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for _, p := range list {
		fmt.Fprintln(w, p)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// literals returns the Go string literals in s, in order.
func literals(s string) ([]string, error) {
	var words []string
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		j := i + 1
		for ; j < len(s); j++ {
			if s[j] == '\\' {
				j++
				continue
			}
			if s[j] == '"' {
				break
			}
		}
		if j >= len(s) {
			return nil, fmt.Errorf("unterminated literal at %d", i)
		}
		w, err := strconv.Unquote(s[i : j+1])
		if err != nil {
			return nil, fmt.Errorf("literal at %d: %w", i, err)
		}
		words = append(words, w)
		i = j
	}
	return words, nil
}
