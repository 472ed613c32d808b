package extract

import (
	"fmt"
	"strconv"
	"strings"
)

// ParsePyDict parses the Python repr of a settings dict, as PyRadiomics
// records it in diagnostics_Configuration_Settings (keys are strings; values
// None, True, False, numbers, strings or lists of these), keeping key order.
func ParsePyDict(s string) ([]KeyValue, error) {
	p := &pyParser{s: s}
	p.skip()
	if !p.eat('{') {
		return nil, p.errf("'{' expected")
	}
	var out []KeyValue
	for {
		p.skip()
		if p.eat('}') {
			return out, nil
		}
		k, err := p.value()
		if err != nil {
			return nil, err
		}
		key, ok := k.V.(string)
		if !ok {
			return nil, p.errf("string key expected")
		}
		p.skip()
		if !p.eat(':') {
			return nil, p.errf("':' expected")
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, KeyValue{key, v})
		p.skip()
		p.eat(',')
	}
}

type pyParser struct {
	s string
	i int
}

func (p *pyParser) errf(msg string) error {
	return fmt.Errorf("python literal at offset %d: %s", p.i, msg)
}

func (p *pyParser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *pyParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *pyParser) value() (Value, error) {
	p.skip()
	if p.i >= len(p.s) {
		return Value{}, p.errf("value expected")
	}
	switch c := p.s[p.i]; {
	case c == '\'' || c == '"':
		j := strings.IndexByte(p.s[p.i+1:], c)
		if j < 0 {
			return Value{}, p.errf("unterminated string")
		}
		v := p.s[p.i+1 : p.i+1+j]
		p.i += j + 2
		return Value{V: v, Text: v}, nil
	case c == '[' || c == '(':
		end := byte(']')
		if c == '(' {
			end = ')'
		}
		p.i++
		var l []Value
		for {
			p.skip()
			if p.eat(end) {
				return Value{V: l}, nil
			}
			v, err := p.value()
			if err != nil {
				return Value{}, err
			}
			l = append(l, v)
			p.skip()
			p.eat(',')
		}
	case c == '{':
		return Value{}, p.errf("nested dict not supported")
	}
	j := p.i
	for j < len(p.s) && !strings.ContainsRune(",]}) :", rune(p.s[j])) {
		j++
	}
	tok := p.s[p.i:j]
	p.i = j
	switch tok {
	case "None":
		return Value{}, nil
	case "True":
		return Value{V: true, Text: tok}, nil
	case "False":
		return Value{V: false, Text: tok}, nil
	}
	if n, err := strconv.ParseInt(tok, 10, 64); err == nil {
		return Value{V: n, Text: tok}, nil
	}
	if f, err := strconv.ParseFloat(tok, 64); err == nil {
		return Value{V: f, Text: tok}, nil
	}
	return Value{}, p.errf("cannot parse " + strconv.Quote(tok))
}
