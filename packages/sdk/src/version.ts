/** The SDK's name and version, as instrumentation scope and resource attributes. */
export const SDK_NAME = '@pyflare/sdk';
export const SDK_VERSION = '0.1.0';
