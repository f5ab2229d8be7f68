package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"maps"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// maxFuncFileSize bounds what file functions read: a template or policy is
// small, and a scan must not be made to read a disk image.
const maxFuncFileSize = 4 << 20

// functionsFor returns the function table of one root: the pure functions
// plus the file functions, which read relative to the root module's
// directory and only inside the scan root, as DESIGN.md demands.
func (e *evaluator) functionsFor() map[string]function.Function {
	out := maps.Clone(functions)
	out["file"] = e.fileFunc(func(b []byte) (cty.Value, error) {
		if !utf8.Valid(b) {
			return cty.UnknownVal(cty.String), fmt.Errorf("the file is not UTF-8; use filebase64")
		}
		return cty.StringVal(string(b)), nil
	})
	out["filebase64"] = e.fileFunc(func(b []byte) (cty.Value, error) {
		return cty.StringVal(base64.StdEncoding.EncodeToString(b)), nil
	})
	for name, h := range map[string]func() hash.Hash{"filemd5": md5.New, "filesha1": sha1.New, "filesha256": sha256.New, "filesha512": sha512.New} {
		out[name] = e.fileFunc(func(b []byte) (cty.Value, error) {
			d := h()
			d.Write(b)
			return cty.StringVal(hex.EncodeToString(d.Sum(nil))), nil
		})
	}
	out["filebase64sha256"] = e.fileFunc(func(b []byte) (cty.Value, error) {
		d := sha256.Sum256(b)
		return cty.StringVal(base64.StdEncoding.EncodeToString(d[:])), nil
	})
	out["filebase64sha512"] = e.fileFunc(func(b []byte) (cty.Value, error) {
		d := sha512.Sum512(b)
		return cty.StringVal(base64.StdEncoding.EncodeToString(d[:])), nil
	})
	out["fileexists"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := e.resolveFile(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Bool), err
			}
			st, err := fs.Stat(e.l.fsys, p)
			return cty.BoolVal(err == nil && st.Mode().IsRegular()), nil
		},
	})
	out["fileset"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return e.fileset(args[0].AsString(), args[1].AsString())
		},
	})
	out["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := e.readFile(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return e.renderTemplate(args[0].AsString(), b, args[1])
		},
	})
	return out
}

func (e *evaluator) fileFunc(conv func([]byte) (cty.Value, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := e.readFile(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return conv(b)
		},
	})
}

// resolveFile maps a path as Terraform sees it (relative to the directory
// it runs in, the root module) to a path in the scan root, refusing any
// that leaves it.
func (e *evaluator) resolveFile(p string) (string, error) {
	if path.IsAbs(p) || strings.HasPrefix(p, "~") || (len(p) > 1 && p[1] == ':') {
		return "", fmt.Errorf("%q is outside the scan root; it is not read", p)
	}
	full := path.Join(e.rootDir, p)
	if !fs.ValidPath(full) {
		return "", fmt.Errorf("%q is outside the scan root; it is not read", p)
	}
	return full, nil
}

func (e *evaluator) readFile(p string) ([]byte, error) {
	full, err := e.resolveFile(p)
	if err != nil {
		return nil, err
	}
	st, err := fs.Stat(e.l.fsys, full)
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %s", p, strings.TrimPrefix(err.Error(), "open "))
	}
	if !st.Mode().IsRegular() || st.Size() > maxFuncFileSize {
		return nil, fmt.Errorf("%q is not a regular file of at most %d bytes", p, maxFuncFileSize)
	}
	return fs.ReadFile(e.l.fsys, full)
}

// renderTemplate evaluates a template file with vars as its only
// variables, as Terraform does; a template calling templatefile again is
// refused, like Terraform, which stops the recursion.
func (e *evaluator) renderTemplate(name string, src []byte, vars cty.Value) (cty.Value, error) {
	expr, diags := hclsyntax.ParseTemplate(src, e.l.display(path.Join(e.rootDir, name)), hcl.InitialPos)
	if diags.HasErrors() {
		return cty.UnknownVal(cty.String), fmt.Errorf("template %s: %s", name, diags.Error())
	}
	if vars.IsNull() || !vars.IsKnown() || !(vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		if !vars.IsKnown() {
			return cty.UnknownVal(cty.String), nil
		}
		return cty.UnknownVal(cty.String), fmt.Errorf("templatefile needs a map or object of variables")
	}
	fns := maps.Clone(e.funcs)
	delete(fns, "templatefile")
	ctx := &hcl.EvalContext{Variables: vars.AsValueMap(), Functions: fns}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.UnknownVal(cty.String), fmt.Errorf("template %s: %s", name, diags.Error())
	}
	return v, nil
}

// fileset lists the regular files under dir whose path relative to dir
// matches pattern, with Terraform's glob syntax: *, ?, [...] within a
// path segment and ** across segments.
func (e *evaluator) fileset(dir, pattern string) (cty.Value, error) {
	full, err := e.resolveFile(dir)
	if err != nil {
		return cty.UnknownVal(cty.Set(cty.String)), err
	}
	if _, err := path.Match(strings.ReplaceAll(pattern, "**", "*"), ""); err != nil {
		return cty.UnknownVal(cty.Set(cty.String)), fmt.Errorf("invalid pattern %q: %w", pattern, err)
	}
	var out []cty.Value
	err = fs.WalkDir(e.l.fsys, full, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, full), "/")
		if full == "." {
			rel = p
		}
		if globMatch(strings.Split(pattern, "/"), strings.Split(rel, "/")) {
			out = append(out, cty.StringVal(rel))
		}
		if len(out) > maxInstances {
			return fmt.Errorf("more than %d files match", maxInstances)
		}
		return nil
	})
	if err != nil {
		return cty.UnknownVal(cty.Set(cty.String)), fmt.Errorf("fileset(%q, %q): %w", dir, pattern, err)
	}
	if len(out) == 0 {
		return cty.SetValEmpty(cty.String), nil
	}
	return cty.SetVal(out), nil
}

// globMatch matches path segments against pattern segments, where a "**"
// segment matches any number of segments.
func globMatch(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if globMatch(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], segs[0])
	return ok && globMatch(pat[1:], segs[1:])
}
