"""The model backend: a buyer and a judge played by a language model through the openai
SDK, against any OpenAI-compatible endpoint. The engine and the offline backend never
import it."""
