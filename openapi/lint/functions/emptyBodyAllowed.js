// emptyBodyAllowed checks the `x-kconform-empty-body-allowed` convention: it is the
// boolean true, set on a response object (under #/components/responses or under an
// operation's responses). The validator reads it only there, so anywhere else, or
// with another value, it would be ignored without a word.
const atResponse = (path) =>
  (path.length === 3 && path[0] === 'components' && path[1] === 'responses') ||
  (path.length >= 5 && path[0] === 'paths' && path[path.length - 2] === 'responses');

export default function emptyBodyAllowed(node, _options, context) {
  const results = [];
  const at = [...context.path, 'x-kconform-empty-body-allowed'];
  if (node['x-kconform-empty-body-allowed'] !== true) {
    results.push({ message: 'x-kconform-empty-body-allowed must be true (leave it out otherwise).', path: at });
  }
  if (!atResponse(context.path)) {
    results.push({ message: 'x-kconform-empty-body-allowed belongs on a response object only.', path: at });
  }
  return results;
}
