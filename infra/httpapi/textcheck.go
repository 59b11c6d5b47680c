package httpapi

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextField is the most characters any text field of a command may hold
// (a description, a note, a name).
const MaxTextField = 2000

// textProblems checks every string of a decoded command: no control
// characters but newline and tab (a NUL, an escape sequence or a carriage
// return has no place in a record people read), and at most MaxTextField
// characters. It returns the problems by JSON field name.
func textProblems(v any) map[string]string {
	bad := map[string]string{}
	walkStrings(reflect.ValueOf(v), "", bad)
	return bad
}

func walkStrings(v reflect.Value, path string, bad map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, bad)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				walkStrings(v.Field(i), path, bad)
				continue
			}
			walkStrings(v.Field(i), joinPath(path, name), bad)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), bad)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			walkStrings(iter.Value(), joinPath(path, fmt.Sprint(iter.Key())), bad)
		}
	case reflect.String:
		if msg := textProblem(v.String()); msg != "" {
			bad[path] = msg
		}
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// textProblem says what is wrong with one text value ("" if nothing).
func textProblem(s string) string {
	if n := utf8.RuneCountInString(s); n > MaxTextField {
		return fmt.Sprintf("at most %d characters (this one has %d)", MaxTextField, n)
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			return fmt.Sprintf("holds a control character (U+%04X): only newline and tab are allowed", r)
		}
	}
	return ""
}
