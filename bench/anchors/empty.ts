// Floor: an empty handler, the least any Node.js function can cost to import.
export const handler = async () => ({});
