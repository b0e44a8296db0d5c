package journeybeetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
)

// items is a successful reply's items encoded one JSON object each but
// not yet joined, so that shaping faults can still change them.
type items struct {
	enc  *itemEncoder
	objs [][]byte
	// single marks a bare-object reply (one item), not an array.
	single bool
	// name is the key FaultObjectInsteadOfArray wraps the reply in, the
	// reference's name for the reply ("leads", "deal"…).
	name string
	// total is sent first in every object when withTotal is set.
	total     int
	withTotal bool
	// newer returns the item FaultLeadNewerThanCursor puts first; nil
	// unless the request is a cursor-paged one carrying a cursor.
	newer func() any
}

// itemEncoder holds the buffers of one reply's encoding; they are pooled
// so that serving a thousand pages does not allocate a thousand bodies.
type itemEncoder struct {
	objs, one, out bytes.Buffer
	enc            *json.Encoder
}

var itemEncoders = sync.Pool{New: func() any {
	e := &itemEncoder{}
	e.enc = json.NewEncoder(&e.one)
	// Like the API (a JavaScript server), leave <, > and & unescaped.
	e.enc.SetEscapeHTML(false)
	return e
}}

// maxPooledBuffer keeps an unusually large reply from pinning memory.
const maxPooledBuffer = 4 << 20

func (e *itemEncoder) release() {
	if e.objs.Cap() <= maxPooledBuffer && e.one.Cap() <= maxPooledBuffer && e.out.Cap() <= maxPooledBuffer {
		itemEncoders.Put(e)
	}
}

// encodeItems encodes each item as a JSON object, with "total" first when
// withTotal is set. Release the result's encoder once the body is written.
func encodeItems[T any](list []*T, total int, withTotal bool) (*items, error) {
	e := itemEncoders.Get().(*itemEncoder)
	e.objs.Reset()
	it := &items{enc: e, total: total, withTotal: withTotal}
	ends := make([]int, len(list))
	for i, item := range list {
		if err := it.append(&e.objs, item); err != nil {
			e.release()
			return nil, err
		}
		ends[i] = e.objs.Len()
	}
	all := e.objs.Bytes()
	it.objs = make([][]byte, len(list))
	start := 0
	for i, end := range ends {
		it.objs[i] = all[start:end]
		start = end
	}
	return it, nil
}

// append writes v's object to buf, splicing in total when sent.
func (it *items) append(buf *bytes.Buffer, v any) error {
	e := it.enc
	e.one.Reset()
	if err := e.enc.Encode(v); err != nil {
		return fmt.Errorf("an item of the dataset does not encode: %w", err)
	}
	obj := bytes.TrimRight(e.one.Bytes(), "\n")
	if !it.withTotal || len(obj) < 2 || obj[0] != '{' {
		buf.Write(obj)
		return nil
	}
	buf.WriteString(`{"total":`)
	buf.WriteString(strconv.Itoa(it.total))
	if len(obj) > 2 { // not {}
		buf.WriteByte(',')
	}
	buf.Write(obj[1:])
	return nil
}

// prependNewer puts the newer-than-cursor item first.
func (it *items) prependNewer() error {
	var buf bytes.Buffer
	if err := it.append(&buf, it.newer()); err != nil {
		return err
	}
	it.objs = append([][]byte{buf.Bytes()}, it.objs...)
	return nil
}

// join writes the reply body: the objects as an array, or the one object
// of a single-object reply; extra adds extraItemFields to each object. The
// body is valid until the encoder is released.
func (it *items) join(extra bool) []byte {
	out := &it.enc.out
	out.Reset()
	if !it.single {
		out.WriteByte('[')
	}
	for i, obj := range it.objs {
		if i > 0 {
			out.WriteByte(',')
		}
		if extra && len(obj) > 2 && obj[0] == '{' {
			out.WriteByte('{')
			out.WriteString(extraItemFields)
			obj = obj[1:]
		}
		out.Write(obj)
	}
	if !it.single {
		out.WriteByte(']')
	}
	return out.Bytes()
}
