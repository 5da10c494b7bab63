// Share links: the whole project in the URL (filled in by the share panel).

export async function sharePanel(project: string, name: string,
                                 say: (message: string, trouble?: boolean) => void): Promise<void> {
  say(`sharing ${name} (${project}) is not built yet`, true);
}

export async function sharedProject(): Promise<null> {
  return null;
}
