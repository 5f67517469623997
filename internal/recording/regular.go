package recording

import (
	"io/fs"
	"os"
	"strings"
)

// OpenRegular opens path for reading only if it is a regular file. A named
// pipe would block the open until some process writes to it, and a device
// such as /dev/zero never ends; both are refused before they are opened,
// and checked again on the opened file in case path changed in between.
// A folder (one that Discover found no recording in) is ErrNothingChecked.
func OpenRegular(path string) (*os.File, error) {
	// A path that cannot be stat'ed is left to Open to report.
	if info, err := os.Stat(path); err == nil {
		if err := regular(path, info.Mode()); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Entry: -1, Err: unwrapPathError(err)}
	}
	info, err := f.Stat()
	if err == nil {
		err = regular(path, info.Mode())
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func regular(path string, mode fs.FileMode) error {
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return &Error{File: path, Entry: -1, Err: errorf(ErrNothingChecked,
			"a folder with no recording in it (looked for %s files)", strings.Join(Extensions, " "))}
	}
	return &Error{File: path, Entry: -1, Err: errorf(ErrNotRegular, "%s, not read", fileKind(mode))}
}

// fileKind names what a file that is not a regular file is.
func fileKind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode&fs.ModeIrregular != 0:
		return "a file of an unknown type"
	}
	return "a special file"
}
