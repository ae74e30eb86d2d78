// Home: the pipelines list, with the app's health at a glance.
import { PipelinesPage } from "./pipelines/pipelines-list";

export default function Home() {
  return <PipelinesPage />;
}
