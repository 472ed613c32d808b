package extract

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// presets are built-in parameter sets selectable by name with -p.
var presets = map[string]struct {
	doc  string
	yaml string
}{
	"ct1316": {
		doc: "the study's 1,316 features: Original, 8 coif1 wavelets, LoG sigma 1-5 mm; shape + firstorder, glcm, gldm, glrlm, glszm, ngtdm; binWidth 25",
		yaml: `imageType:
  Original: {}
  Wavelet: {}
  LoG:
    sigma: [1.0, 2.0, 3.0, 4.0, 5.0]
featureClass:
  shape:
  firstorder:
  glcm:
  gldm:
  glrlm:
  glszm:
  ngtdm:
setting:
  binWidth: 25
  label: 1
`,
	},
	"ibsi-digital-phantom": {
		doc: "IBSI-1 digital phantom settings as PyRadiomics' IBSI benchmark: binWidth 1, no resampling, every class",
		yaml: `setting:
  binWidth: 1
  label: 1
  voxelArrayShift: 0
imageType:
  Original: {}
featureClass:
  shape:
  firstorder:
  glcm:
  glrlm:
  glszm:
  gldm:
  ngtdm:
`,
	},
}

// PresetNames returns the built-in preset names with a one-line description each.
func PresetNames() []string {
	var out []string
	for n, p := range presets {
		out = append(out, n+": "+p.doc)
	}
	sort.Strings(out)
	return out
}

// PresetYAML returns the parameter document of a built-in preset.
func PresetYAML(name string) (string, bool) {
	p, ok := presets[name]
	return p.yaml, ok
}

// ResolveParams loads parameters from a preset name or a file path; an
// empty spec gives PyRadiomics' defaults.
func ResolveParams(spec string) (*Params, error) {
	if spec == "" {
		return DefaultParams(), nil
	}
	if p, ok := presets[spec]; ok {
		return ParseParams([]byte(p.yaml))
	}
	if _, err := os.Stat(spec); err != nil {
		names := make([]string, 0, len(presets))
		for n := range presets {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("parameter file %s: not found, and not a built-in preset (%s)", spec, strings.Join(names, ", "))
	}
	return LoadParams(spec)
}
