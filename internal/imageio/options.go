package imageio

import "fmt"

// WriteOptions are optional header texts for WriteWithOptions. The zero
// value reproduces Write: NIfTI descrip "spinerad", empty aux_file and
// intent_name, and no NRRD content field.
type WriteOptions struct {
	// Description is the NIfTI descrip field (at most 79 bytes, so that a
	// terminating NUL remains; empty: "spinerad") and the NRRD "content:"
	// field (empty: none).
	Description string
	// AuxFile is the NIfTI aux_file field (at most 23 bytes); NRRD stores
	// it as the key/value pair "aux_file:=".
	AuxFile string
	// IntentName is the NIfTI intent_name field (at most 15 bytes; the
	// intent code stays 0); NRRD stores it as "intent_name:=".
	IntentName string
}

// check validates the texts: printable ASCII (0x20–0x7e) that fits the
// NIfTI-1 field with a terminating NUL.
func (o *WriteOptions) check() error {
	for _, f := range []struct {
		name string
		v    string
		max  int
	}{{"description", o.Description, 79}, {"aux_file", o.AuxFile, 23}, {"intent_name", o.IntentName, 15}} {
		if len(f.v) > f.max {
			return fmt.Errorf("%s %q is %d bytes (at most %d)", f.name, f.v, len(f.v), f.max)
		}
		for i := 0; i < len(f.v); i++ {
			if c := f.v[i]; c < 0x20 || c > 0x7e {
				return fmt.Errorf("%s %q: byte %d (0x%02x) is not printable ASCII", f.name, f.v, i, c)
			}
		}
	}
	return nil
}

// description returns the NIfTI descrip text (default "spinerad").
func (o *WriteOptions) description() string {
	if o == nil || o.Description == "" {
		return "spinerad"
	}
	return o.Description
}

// auxFile returns the NIfTI aux_file text ("" by default).
func (o *WriteOptions) auxFile() string {
	if o == nil {
		return ""
	}
	return o.AuxFile
}

// intentName returns the NIfTI intent_name text ("" by default).
func (o *WriteOptions) intentName() string {
	if o == nil {
		return ""
	}
	return o.IntentName
}
