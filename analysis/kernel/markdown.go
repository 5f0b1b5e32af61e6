package kernel

import "strings"

// MarkdownCode is text as inline Markdown code, kept in one table cell
// (backticks in it become ').
func MarkdownCode(s string) string {
	return "`" + strings.ReplaceAll(MarkdownCell(s), "`", "'") + "`"
}

// MarkdownCell keeps text inside one Markdown table cell: no line breaks,
// | escaped, and no HTML.
func MarkdownCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}
