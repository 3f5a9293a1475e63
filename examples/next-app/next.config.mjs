/** @type {import('next').NextConfig} */
const config = {
  // The page views and orders are the example: no image optimisation, fonts or anything fetched at build time.
  images: { unoptimized: true },
};

export default config;
