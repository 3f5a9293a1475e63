// Types for the repository's typecheck, which compiles TypeScript only and imports this app in its tests.
export declare function AppRoutes(): import('react').JSX.Element;
export declare function PageViews(): null;
