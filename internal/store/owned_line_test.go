package store

import "testing"

// TestOwnedLine: a line of COPY's text adds the record keyHash finds, its
// escaped key unescaped first; a short line or a bad number is an error.
func TestOwnedLine(t *testing.T) {
	o := &owned{m: map[[2]uint64]ownedVersion{}}
	for _, line := range []string{"K1\t320000\t7\t-42", `制表\t符` + "\t000000\t8\t9"} {
		if err := o.line([]byte(line)); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
	}
	if v, ok := o.m[keyHash("K1")]; !ok || v.seq != 7 || v.hash != -42 || o.senders[v.sender] != "320000" || v.idx != 0 {
		t.Errorf("K1: %+v, %v (senders %v)", v, ok, o.senders)
	}
	if v, ok := o.m[keyHash("制表\t符")]; !ok || v.seq != 8 || o.senders[v.sender] != "000000" || v.idx != 1 {
		t.Errorf("an escaped key: %+v, %v", v, ok)
	}
	for _, bad := range []string{"K2\t320000\t7", "K3\t320000\tx\t1"} {
		if err := o.line([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if keyHashBytes([]byte("苏A123")) != keyHash("苏A123") {
		t.Error("keyHashBytes and keyHash differ")
	}
}
