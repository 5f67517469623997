// Package docs holds kconform's reference documentation and the generated
// reports linked from the README; its tests keep the README a guide (under
// 40 KB) and every relative link in README.md and docs/*.md resolving.
package docs
