package bundles

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/ast"
)

// policiesHeader is how translator.Format begins every policy module.
const policiesHeader = "package iam2rego.policies\n"

// compiledKey is what identifies a compiled document: its policy type and
// canonical JSON, hashed, so that the build does not keep a second copy
// of every document's text.
func compiledKey(typ translator.PolicyType, canon []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(typ))
	h.Write([]byte{0})
	h.Write(canon)
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// keep is what the build keeps of a compiled policy: its name, stats and
// warnings, and either its module or, with Options.TextOnly, its rules
// formatted at once (the AST, several times the size of the text, is then
// dropped). The policy's IR is never needed again.
func (b *builder) keep(c *translator.Compiled) (*translator.Compiled, error) {
	cp := *c
	cp.Policy = nil
	if !b.opts.TextOnly {
		return &cp, nil
	}
	src, err := translator.Format(c.Module)
	if err != nil {
		return nil, fmt.Errorf("formatting policy %s: %w", c.Name, err)
	}
	if !bytes.HasPrefix(src, []byte(policiesHeader)) {
		return nil, fmt.Errorf("formatting policy %s: the module does not start with %q", c.Name, policiesHeader)
	}
	// A copy of its exact size: the formatter's buffer has room to spare.
	b.texts[c.Name] = bytes.Clone(src[len(policiesHeader):])
	cp.Module = nil
	return &cp, nil
}

// release drops a document of the export that only one principal uses
// (an inline or trust policy) once it is compiled, with
// Options.ReleaseDocuments, so that its decoded JSON can be freed while
// the build goes on.
func (b *builder) release(doc *account.Document) {
	if b.opts.ReleaseDocuments {
		doc.Value = nil
	}
}

// policiesModule is the module of every policy, by name in order: the
// merged AST formatted, or with Options.TextOnly the formatted rules of
// each policy after one package line, which is the same text (the
// formatter separates rules the same way within one policy and across
// two), and no AST.
func (b *builder) policiesModule(names []string, policies map[string]*ast.Module) ([]byte, *ast.Module, error) {
	if b.opts.TextOnly {
		var buf bytes.Buffer
		buf.WriteString(policiesHeader)
		for _, n := range names {
			buf.Write(b.texts[n])
		}
		return buf.Bytes(), nil, nil
	}
	merged, err := translator.Merge(policies)
	if err != nil {
		return nil, nil, err
	}
	src, err := translator.Format(merged)
	if err != nil {
		return nil, nil, fmt.Errorf("formatting the policies module: %w", err)
	}
	return src, merged, nil
}
