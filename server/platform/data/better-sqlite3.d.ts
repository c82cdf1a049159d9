// better-sqlite3 ships no types, and the community's lag its major versions:
// sqlite.ts declares the few methods it uses (NativeDatabase) and only needs the constructor here.
declare module 'better-sqlite3' {
  const Database: new (path: string) => unknown;
  export default Database;
}
