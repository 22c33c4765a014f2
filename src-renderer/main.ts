import { mount } from 'svelte';
import App from './App.svelte';
import { app } from './state/app.svelte.js';
import './styles.css';
import './theme-contrast.css';

// Nothing from a previous person may survive a reload.
try {
  sessionStorage.clear();
  localStorage.clear();
} catch {
  // unavailable storage holds nothing either
}

void app.load();
const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
mount(App, { target });
