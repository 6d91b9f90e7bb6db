import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// Vendor code is split into a few stable chunks so that no single file gets huge; pages
// are dynamically imported and only pull what they need. A group also captures the
// dependencies of its modules, so groups go from the lowest layer (React) up to the
// highest (pro-components): each one keeps only what the lower ones did not take.
const nm = (pattern: string) => new RegExp(`node_modules[\\\\/](?:${pattern})[\\\\/]`);
const vendorGroups = [
  { name: 'vendor-react', test: nm('react|react-dom|scheduler|react-router|react-router-dom|@remix-run'), priority: 60 },
  { name: 'vendor-dayjs', test: nm('dayjs'), priority: 55 },
  { name: 'vendor-icons', test: nm('@ant-design[\\\\/]icons|@ant-design[\\\\/]icons-svg'), priority: 50 },
  { name: 'vendor-rc', test: nm('rc-[a-z-]+|@rc-component[\\\\/][a-z-]+|@ant-design[\\\\/](?:cssinjs|cssinjs-utils|colors|fast-color|react-slick)'), priority: 40, maxSize: 700 * 1024 },
  { name: 'vendor-antd', test: nm('antd'), priority: 30, maxSize: 700 * 1024 },
  { name: 'vendor-pro', test: nm('@ant-design[\\\\/]pro-[a-z-]+'), priority: 20, maxSize: 700 * 1024 },
  { name: 'vendor-misc', test: /node_modules/, priority: 1 },
];

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Vendor chunks share CommonJS helpers (rc-util's KeyCode etc.); keep module
        // evaluation in source order across chunks.
        strictExecutionOrder: true,
        codeSplitting: {
          groups: vendorGroups,
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
