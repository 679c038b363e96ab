<?php
// The same pack upload handled by PHP itself: PHP parses the multipart body into
// temporary files; this moves every one into a folder of its own.
$folder = __DIR__ . '/../uploads/' . uniqid('pack', true);
mkdir($folder, 0700, true);
$moved = 0;
foreach ($_FILES['file']['tmp_name'] ?? [] as $index => $temporary) {
    if (move_uploaded_file($temporary, $folder . '/' . basename($_FILES['file']['name'][$index]))) {
        $moved++;
    }
}
header('Content-Type: application/json');
echo json_encode(['files' => $moved]);
