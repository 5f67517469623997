package recording

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Extensions are the file name endings looked for inside folders. A file
// named on its own is read whatever its name, since the format is detected
// from the content.
var Extensions = []string{".har", ".json", ".yml", ".yaml", ".txt", ".http"}

// Discover expands paths into the recordings to read: files as they are,
// folders recursively (only files with one of Extensions, skipping names
// that start with a dot). The result is sorted and without duplicates. A
// path that cannot be read is kept, so that opening it reports why; so is a
// folder with no recording in it, and a pipe or device with a recording's
// name, which opening refuses (OpenRegular) rather than skipping in silence.
func Discover(paths []string) []string {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil || !info.IsDir() {
			files = append(files, p)
			continue
		}
		before := len(files)
		walkErr := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				files = append(files, path) // reported when opened
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() && slices.Contains(Extensions, strings.ToLower(filepath.Ext(path))) {
				files = append(files, path)
			}
			return nil
		})
		if walkErr != nil || len(files) == before {
			files = append(files, p)
		}
	}
	slices.Sort(files)
	return slices.Compact(files)
}
