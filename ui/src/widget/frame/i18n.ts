// The widget's strings, in English and French, chosen by the locale the host
// page gives (or the browser's).

const en = {
  title: 'Chat with us',
  close: 'Close chat',
  leave: 'End chat',
  messages: 'Messages',
  message: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  emoji: 'Insert an emoji',
  attach: 'Attach a file',
  attachLater: 'Send a first message to attach files',
  you: 'You',
  assistant: 'Assistant',
  sending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  notSent: 'Not sent',
  typing: (name: string) => `${name} is typing…`,
  queued: 'Waiting for an agent…',
  joined: (name: string) => `${name} joined the chat`,
  archived: (name: string) => `${name} ended the chat`,
  closedForNow: 'This conversation is closed. Write any time to continue it.',
  newInteraction: 'New conversation',
  ended: 'This chat has ended.',
  startNew: 'Start a new chat',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  failed: 'The chat is unavailable right now.',
  retry: 'Try again',
  newFrom: (who: string, text: string) => `${who}: ${text}`,
  uploading: (name: string) => `Sending ${name}`,
  tooLarge: (name: string, max: string) => `${name} is too large: files may have up to ${max}.`,
  badType: (name: string) =>
    `${name} cannot be sent: only images, videos, audio, PDF, Word, Excel and text files can.`,
  uploadFailed: (name: string, why: string) => `${name} could not be sent: ${why}`,
  download: (name: string) => `Download ${name}`,
  attachment: 'Attachment',
  expired: 'Your previous chat is no longer available.',
  mb: (n: number) => `${n} MB`,
};

export type Strings = typeof en;

const fr: Strings = {
  title: 'Discutez avec nous',
  close: 'Fermer la discussion',
  leave: 'Terminer la discussion',
  messages: 'Messages',
  message: 'Message',
  placeholder: 'Écrivez un message…',
  send: 'Envoyer',
  emoji: 'Insérer un émoji',
  attach: 'Joindre un fichier',
  attachLater: 'Envoyez un premier message pour joindre des fichiers',
  you: 'Vous',
  assistant: 'Assistant',
  sending: 'Envoi…',
  sent: 'Envoyé',
  delivered: 'Distribué',
  read: 'Lu',
  notSent: 'Non envoyé',
  typing: (name) => `${name} écrit…`,
  queued: 'En attente d’un conseiller…',
  joined: (name) => `${name} a rejoint la discussion`,
  archived: (name) => `${name} a terminé la discussion`,
  closedForNow: 'Cette conversation est close. Écrivez quand vous voulez pour la reprendre.',
  newInteraction: 'Nouvelle conversation',
  ended: 'La discussion est terminée.',
  startNew: 'Commencer une nouvelle discussion',
  connecting: 'Connexion…',
  reconnecting: 'Connexion perdue. Reconnexion…',
  failed: 'La discussion est indisponible pour le moment.',
  retry: 'Réessayer',
  newFrom: (who, text) => `${who} : ${text}`,
  uploading: (name) => `Envoi de ${name}`,
  tooLarge: (name, max) => `${name} est trop volumineux : ${max} au plus par fichier.`,
  badType: (name) =>
    `${name} ne peut pas être envoyé : seuls les images, vidéos, sons, PDF, fichiers Word, Excel et texte le peuvent.`,
  uploadFailed: (name, why) => `${name} n’a pas pu être envoyé : ${why}`,
  download: (name) => `Télécharger ${name}`,
  attachment: 'Pièce jointe',
  expired: 'Votre discussion précédente n’est plus disponible.',
  mb: (n) => `${String(n).replace('.', ',')} Mo`,
};

/** The strings for a locale: French for `fr…`, English otherwise. */
export function strings(locale: string | null): Strings {
  return /^fr\b/i.test(locale || navigator.language || '') ? fr : en;
}

/** The document language matching `strings(locale)`. */
export function lang(locale: string | null): string {
  return /^fr\b/i.test(locale || navigator.language || '') ? 'fr' : 'en';
}
