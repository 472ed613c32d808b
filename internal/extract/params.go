// Package extract runs PyRadiomics-compatible feature extraction: parameter
// files, the pipeline from image and mask to named feature values, output
// formatting, and batch runs over a cohort.
package extract

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spinerad/spinerad/internal/features"
	"gopkg.in/yaml.v3"
)

// ImageType is one entry of the imageType block: a filter name
// (Original, LoG, Wavelet, ...) and its settings overrides.
type ImageType struct {
	Name      string
	Overrides []KeyValue
}

// KeyValue is one setting override.
type KeyValue struct {
	Key   string
	Value Value
}

// ClassSpec is one entry of the featureClass block: a class name and the
// features named for it (empty: every non-deprecated feature).
type ClassSpec struct {
	Name     string
	Features []string
}

// Params is a validated PyRadiomics parameter set.
type Params struct {
	Setting    Settings
	ImageTypes []ImageType
	Classes    []ClassSpec
	Warnings   []string
	// NoDiagnostics skips the diagnostics_* entries (hashes, image and mask
	// statistics, connected components), as additionalInfo: false does, for
	// callers that do not output them; the features do not change.
	NoDiagnostics bool
	classesGiven  bool
}

// imageTypeNames are the image types PyRadiomics knows.
var imageTypeNames = []string{"Original", "Wavelet", "LoG", "Square", "SquareRoot", "Logarithm", "Exponential", "Gradient", "LBP2D", "LBP3D"}

// DefaultParams returns PyRadiomics' defaults without a parameter file:
// the Original image and every feature class except shape2D.
func DefaultParams() *Params {
	p := &Params{Setting: DefaultSettings(), ImageTypes: []ImageType{{Name: "Original"}}}
	for _, n := range features.Names() {
		if n != "shape2D" {
			p.Classes = append(p.Classes, ClassSpec{Name: n})
		}
	}
	return p
}

// LoadParams reads a PyRadiomics parameter file (YAML or JSON).
func LoadParams(path string) (*Params, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := ParseParams(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ParseParams parses and validates a parameter document against
// PyRadiomics' schema: top-level keys setting, imageType, featureClass and
// voxelSetting (accepted and ignored with a warning); unknown keys, unknown
// settings, image types, classes or features, and bad values are errors.
func ParseParams(doc []byte) (*Params, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, fmt.Errorf("not valid YAML/JSON: %v", err)
	}
	p := &Params{Setting: DefaultSettings(), ImageTypes: []ImageType{{Name: "Original"}}}
	if len(root.Content) == 0 {
		return DefaultParams(), nil
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the document must be a mapping with keys setting, imageType, featureClass")
	}
	var settingNode, imageNode, classNode *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i].Value, top.Content[i+1]
		switch k {
		case "setting":
			settingNode = v
		case "imageType":
			imageNode = v
		case "featureClass":
			classNode = v
		case "voxelSetting":
			p.Warnings = append(p.Warnings, "voxelSetting is ignored: spinerad does segment-based extraction only")
		default:
			return nil, fmt.Errorf("unknown top-level key %q (valid: setting, imageType, featureClass, voxelSetting)", k)
		}
	}
	if settingNode != nil && !isNull(settingNode) {
		kvs, err := mappingValues(settingNode, "setting")
		if err != nil {
			return nil, err
		}
		for _, kv := range kvs {
			if err := p.Setting.Set(kv.Key, kv.Value); err != nil {
				return nil, err
			}
		}
	}
	if imageNode != nil && !isNull(imageNode) {
		if imageNode.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("imageType must be a mapping of image type to settings")
		}
		p.ImageTypes = nil
		for i := 0; i+1 < len(imageNode.Content); i += 2 {
			name := imageNode.Content[i].Value
			if !contains(imageTypeNames, name) {
				return nil, fmt.Errorf("unknown image type %q (valid: %s)", name, strings.Join(imageTypeNames, ", "))
			}
			it := ImageType{Name: name}
			if v := imageNode.Content[i+1]; !isNull(v) {
				kvs, err := mappingValues(v, "imageType "+name)
				if err != nil {
					return nil, err
				}
				probe := p.Setting.Clone()
				for _, kv := range kvs {
					if err := probe.Set(kv.Key, kv.Value); err != nil {
						return nil, fmt.Errorf("imageType %s: %w", name, err)
					}
				}
				it.Overrides = kvs
			}
			p.ImageTypes = append(p.ImageTypes, it)
		}
		if len(p.ImageTypes) == 0 {
			p.ImageTypes = []ImageType{{Name: "Original"}}
		}
	}
	if classNode == nil {
		for _, n := range features.Names() {
			if n != "shape2D" {
				p.Classes = append(p.Classes, ClassSpec{Name: n})
			}
		}
		return p, nil
	}
	p.classesGiven = true
	if isNull(classNode) || (classNode.Kind == yaml.MappingNode && len(classNode.Content) == 0) {
		// An empty featureClass block enables every class, shape2D included.
		for _, n := range features.Names() {
			p.Classes = append(p.Classes, ClassSpec{Name: n})
		}
		return p, nil
	}
	if classNode.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("featureClass must be a mapping of class name to a list of features")
	}
	for i := 0; i+1 < len(classNode.Content); i += 2 {
		name := classNode.Content[i].Value
		c, ok := features.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("unknown feature class %q (valid: %s)", name, strings.Join(features.Names(), ", "))
		}
		cs := ClassSpec{Name: name}
		v := classNode.Content[i+1]
		if !isNull(v) {
			if v.Kind != yaml.SequenceNode {
				return nil, fmt.Errorf("featureClass %s: a list of feature names expected", name)
			}
			for _, f := range v.Content {
				cs.Features = append(cs.Features, f.Value)
			}
			if _, err := c.Enabled(cs.Features); err != nil {
				return nil, err
			}
		}
		p.Classes = append(p.Classes, cs)
	}
	return p, nil
}

// Override applies a command-line override "key:value" (PyRadiomics' -s):
// the value is parsed as YAML (true, 2.5, [2, 2, 2], sitkLinear).
func (p *Params) Override(kv string) error {
	i := strings.Index(kv, ":")
	if i <= 0 {
		return fmt.Errorf("setting override %q: expected KEY:VALUE", kv)
	}
	key, text := strings.TrimSpace(kv[:i]), strings.TrimSpace(kv[i+1:])
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		return fmt.Errorf("setting override %q: %v", kv, err)
	}
	var val Value
	if len(n.Content) > 0 {
		v, err := nodeValue(n.Content[0])
		if err != nil {
			return fmt.Errorf("setting override %q: %v", kv, err)
		}
		val = v
	}
	return p.Setting.Set(key, val)
}

// SettingsFor returns the global settings merged with image type it's overrides.
func (p *Params) SettingsFor(it ImageType) Settings {
	s := p.Setting.Clone()
	for _, kv := range it.Overrides {
		_ = s.Set(kv.Key, kv.Value) // validated when parsed
	}
	return s
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!null")
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func mappingValues(n *yaml.Node, what string) ([]KeyValue, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s must be a mapping", what)
	}
	var out []KeyValue
	for i := 0; i+1 < len(n.Content); i += 2 {
		v, err := nodeValue(n.Content[i+1])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", what, n.Content[i].Value, err)
		}
		out = append(out, KeyValue{Key: n.Content[i].Value, Value: v})
	}
	return out, nil
}

// nodeValue converts a YAML node into a Value, keeping number literals.
func nodeValue(n *yaml.Node) (Value, error) {
	if n.Kind == yaml.AliasNode {
		return nodeValue(n.Alias)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return Value{}, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return Value{}, err
			}
			return Value{V: b, Text: n.Value}, nil
		case "!!int":
			i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
			if err != nil {
				return Value{}, err
			}
			return Value{V: i, Text: n.Value}, nil
		case "!!float":
			var f float64
			if err := n.Decode(&f); err != nil {
				return Value{}, err
			}
			if math.IsNaN(f) {
				return Value{}, fmt.Errorf("NaN is not a valid value")
			}
			return Value{V: f, Text: n.Value}, nil
		default:
			return Value{V: n.Value, Text: n.Value}, nil
		}
	case yaml.SequenceNode:
		l := make([]Value, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeValue(c)
			if err != nil {
				return Value{}, err
			}
			l = append(l, v)
		}
		return Value{V: l}, nil
	case yaml.MappingNode:
		return Value{}, fmt.Errorf("a mapping is not a valid setting value")
	}
	return Value{}, fmt.Errorf("unsupported value")
}
