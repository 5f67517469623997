// terminalInEnum checks the `x-kconform-terminal` convention: on a string enum schema
// it lists the statuses a session never leaves, so it must be a non-empty list of
// distinct values that all belong to the same schema's `enum`. The suites stop
// polling on these values; a typo here would make them poll until a timeout.
export default function terminalInEnum(schema, _options, context) {
  // Result paths are absolute in Spectral 6.
  const at = (...rest) => [...context.path, 'x-kconform-terminal', ...rest];
  const terminal = schema['x-kconform-terminal'];
  if (!Array.isArray(terminal) || terminal.length === 0) {
    return [{ message: 'x-kconform-terminal must be a non-empty list of enum values.', path: at() }];
  }
  if (!Array.isArray(schema.enum)) {
    return [{ message: 'x-kconform-terminal is only meaningful beside an enum.', path: at() }];
  }
  const results = [];
  const seen = new Set();
  terminal.forEach((value, i) => {
    if (!schema.enum.includes(value)) {
      results.push({ message: `x-kconform-terminal value "${value}" is not in the enum.`, path: at(i) });
    }
    if (seen.has(value)) {
      results.push({ message: `x-kconform-terminal lists "${value}" twice.`, path: at(i) });
    }
    seen.add(value);
  });
  return results;
}
