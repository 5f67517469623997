// errorResponseSchema checks that every 4xx/5xx response of one operation whose
// content is JSON uses the shared error body, by reference: the validator, the mock
// and the suites all read errors through that one schema, so an inline copy or a
// look-alike schema would let the three drift apart.
//
// It runs on the unresolved document (the rule sets `resolved: false`), because a
// resolved document no longer shows which schema a `$ref` pointed to. A response
// that is itself a `$ref` to `#/components/responses/NAME` is followed one step.
//
// Options: { schemaRef: '#/components/schemas/ErrorV2' }
const errorStatus = /^[45](\d\d|XX)$/;
const responsesPrefix = '#/components/responses/';

export default function errorResponseSchema(responses, options, context) {
  if (responses === null || typeof responses !== 'object') return;
  const want = options.schemaRef;
  const doc = context.document.data;
  const results = [];
  for (const [status, response] of Object.entries(responses)) {
    if (!errorStatus.test(status) || response === null || typeof response !== 'object') continue;
    let body = response;
    let where = [...context.path, status];
    if (typeof response.$ref === 'string') {
      const name = response.$ref.startsWith(responsesPrefix) ? response.$ref.slice(responsesPrefix.length) : undefined;
      body = name && doc.components && doc.components.responses ? doc.components.responses[name] : undefined;
      if (body === undefined) {
        results.push({
          message: `${status} refers to ${response.$ref}, which is not a response under ${responsesPrefix}.`,
          path: [...where, '$ref'],
        });
        continue;
      }
      where = ['components', 'responses', name];
    }
    for (const [mediaType, media] of Object.entries(body.content || {})) {
      if (!/json/i.test(mediaType)) continue;
      const ref = media && media.schema && media.schema.$ref;
      if (ref !== want) {
        results.push({
          message: `${status} ${mediaType} body must be {$ref: '${want}'}, found ${ref ? `'${ref}'` : 'an inline schema'}.`,
          path: [...where, 'content', mediaType, 'schema'],
        });
      }
    }
  }
  return results;
}
