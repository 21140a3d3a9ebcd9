import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../env';
import { log } from '../log';
import { mailMessages } from '../metrics/metrics';

let transport: Transporter | null = null;

export const mailEnabled = () => Boolean(config.EMAIL_SERVER);

/** Sends a plain-text email through EMAIL_SERVER. Text only: nothing user-supplied becomes HTML. */
export async function sendMail(to: string, subject: string, text: string): Promise<void> {
  if (!config.EMAIL_SERVER) throw new Error('EMAIL_SERVER is not set');
  transport ??= nodemailer.createTransport(config.EMAIL_SERVER, {
    connectionTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({ from: config.EMAIL_FROM, to, subject, text });
  } catch (error) {
    mailMessages.inc({ result: 'failed' });
    throw error; // the caller logs it with what the mail was for
  }
  mailMessages.inc({ result: 'sent' });
  log.info('mail', `sent "${subject}"`);
}
