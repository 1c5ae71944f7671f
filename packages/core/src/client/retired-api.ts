import { AtlasApiError } from '../errors.js';

/** Error codes naming an API version or an endpoint's sunset (VERSION_GONE, INVALID_VERSION_DATE…). */
const versionOrSunset = /VERSION|SUNSET|DEPRECATED|RETIRED|GONE/;

/**
 * Whether Atlas's answer says it no longer serves the endpoint, rather than that something in
 * the request is wrong: 410 Gone (what the versioning docs promise); 404 `RESOURCE_NOT_FOUND`
 * (how Atlas answers a path it does not serve; a missing snapshot or instance has its own code)
 * or 404 with a version or sunset code; 400 or 406 refusing the API version. Returns the answer
 * as `status errorCode`, for the notice that tells the person which answer it was.
 */
export function retiredApiAnswer(error: unknown): string | undefined {
  if (!(error instanceof AtlasApiError)) return undefined;
  const { status, errorCode } = error;
  const retired =
    status === 410 ||
    (status === 404 && (errorCode === 'RESOURCE_NOT_FOUND' || versionOrSunset.test(errorCode))) ||
    ((status === 400 || status === 406) && versionOrSunset.test(errorCode));
  return retired ? `${status} ${errorCode}` : undefined;
}
