/** A page or an API client signed in as one of the e2e users (their saved storage states). */
import { request as playwrightRequest, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { storageStateOf, type E2eUser } from './auth-users';

/** A fresh browser context signed in as `user`, with one page (close the context when done). */
export async function pageAs(browser: Browser, user: E2eUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: storageStateOf(user) });
  return { context, page: await context.newPage() };
}

/** An API client signed in as `user`, sending the Origin header the server's CSRF check wants. */
export async function apiAs(user: E2eUser, baseURL: string | undefined): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL ?? '' }, storageState: storageStateOf(user) });
}
