/** The platform's version, reported by /api/v1/health and the OpenAPI document. */
export const VERSION = '0.1.0';
