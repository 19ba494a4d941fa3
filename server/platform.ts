// What Pairwise calls itself in manifests and dataset cards.
import packageJson from "../package.json";

export const PLATFORM_VERSION: string = packageJson.version;
